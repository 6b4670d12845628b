/**
 * Invariant 5: long-run patient frequencies follow the policy's weights. Each test drives the
 * scheduler through a long seeded run (loads succeed, every active slot serves one small chunk
 * per interval) and compares frequencies with Pearson's chi-square test at p = 0.001: the
 * statistic must stay below the critical value for its degrees of freedom. With fixed seeds the
 * outcome is deterministic. Each test also shows the same statistic rejecting a wrong
 * distribution, so the bound has teeth.
 */
import { describe, expect, it } from 'vitest';
import type { SchedulerConfig } from '../../src/scheduler/scheduler-config.js';
import type { SchedulerState } from '../../src/scheduler/scheduler-state.js';
import { activePatients } from '../../src/scheduler/active-patients.js';
import { chiSquare, critical, sampford } from './support/chi-square.js';
import { Run } from './support/driver.js';

/** Runs `intervals` reschedule intervals, calling `each` after every one. */
function steady(
  config: SchedulerConfig,
  intervals: number,
  each: (s: SchedulerState, i: number) => void,
): Run {
  const run = new Run({ rescheduleIntervalMs: 100, maxLengthQueueLightDL: 64, ...config });
  run.feed({ type: 'start', now: 0 });
  serve(run);
  for (let i = 0; i < intervals; i++) {
    run.now += 100;
    run.feed({ type: 'tick', now: run.now });
    serve(run);
    each(run.state, i);
  }
  return run;
}

/** Every outstanding load succeeds; every collector serves one small chunk; the consumer pulls. */
function serve(run: Run): void {
  for (const load of run.shell.outstandingLoads()) {
    run.shell.settleLoad(load.slot, load.tenure, true);
    run.feed({ type: 'loadSucceeded', now: run.now, slot: load.slot, tenure: load.tenure });
  }
  for (const [slot, c] of [...run.shell.collectors]) {
    run.shell.produce(slot, c.tenure, 1);
    run.feed({ type: 'chunkProduced', now: run.now, slot, tenure: c.tenure });
  }
  run.feed({ type: 'pull', now: run.now, count: 1000 });
}

const ids = (n: number): { id: string }[] => Array.from({ length: n }, (_, i) => ({ id: `p${i}` }));

describe('long-run frequencies', () => {
  it("'pydmed' (default) schedules patients uniformly: chi-square over admissions, df = 5, bound 20.515", () => {
    const run = steady({ patients: ids(6), numBigChunkLoaders: 2, seed: 11 }, 6000, () => {});
    const counts = run.state.patients.map((p) => p.timesScheduled);
    const uniform = counts.map(() => 1);
    expect(run.state.counters.swaps).toBe(6000);
    expect(chiSquare(counts, uniform)).toBeLessThan(critical(6));
    // The statistic rejects a skewed distribution of the same size.
    const n = counts.reduce((a, b) => a + b, 0) / 6;
    const skewed = [n * 1.5, n, n, n, n, n * 0.5];
    expect(chiSquare(skewed, uniform)).toBeGreaterThan(critical(6));
  });

  it("'weighted' keeps each active set with Sampford's probabilities for π = 2w/Σw: chi-square over the 10 sets, df = 9, bound 27.877", () => {
    const weights = [4, 2, 2, 1, 1];
    const pi = weights.map((w) => (2 * w) / 10);
    const { sets, p } = sampford(pi, 2);
    const observed = sets.map(() => 0);
    const key = (xs: readonly number[]): string => xs.join(',');
    const index = new Map(sets.map((s, i) => [key(s), i]));
    const patients = weights.map((weight, i) => ({ id: `p${i}`, weight }));
    // Sample every 25th interval: far apart enough for the samples to be practically independent.
    const run = steady(
      { patients, numBigChunkLoaders: 2, policy: 'weighted', seed: 5 },
      50_000,
      (s, i) => {
        if (i % 25 !== 24) return;
        const active = activePatients(s)
          .map((id) => Number(id.slice(1)))
          .sort((a, b) => a - b);
        observed[index.get(key(active))!]!++;
      },
    );
    expect(chiSquare(observed, p)).toBeLessThan(critical(sets.length));
    // Uniform over the sets (what ignoring the weights would give) is rejected by the same data.
    expect(
      chiSquare(
        observed,
        p.map(() => 1),
      ),
    ).toBeGreaterThan(critical(sets.length));
    // And each patient's share of the delivered small chunks follows its weight.
    const delivered = run.state.patients.map((x) => x.delivered);
    const total = delivered.reduce((a, b) => a + b, 0);
    delivered.forEach((d, i) => expect(Math.abs(d / total - weights[i]! / 10)).toBeLessThan(0.01));
  });

  it("'label-balanced' gives every label the same share: chi-square over label pairs of the active set, df = 5, bound 20.515", () => {
    const labels = ['a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'];
    const patients = labels.map((label, i) => ({ id: `p${i}`, label }));
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const pi = labels.map((l) => 2 / 3 / counts.get(l)!);
    const { sets, p } = sampford(pi, 2);
    const pairs = ['a,a', 'a,b', 'a,c', 'b,b', 'b,c', 'c,c'];
    const pairOf = (xs: readonly number[]): string =>
      xs
        .map((i) => labels[i]!)
        .sort()
        .join(',');
    const expected = pairs.map((pair) =>
      p.filter((_, i) => pairOf(sets[i]!) === pair).reduce((a, b) => a + b, 0),
    );
    const observed = pairs.map(() => 0);
    const run = steady(
      { patients, numBigChunkLoaders: 2, policy: 'label-balanced', seed: 9 },
      40_000,
      (s, i) => {
        if (i % 25 !== 24) return;
        const active = activePatients(s).map((id) => Number(id.slice(1)));
        observed[pairs.indexOf(pairOf(active))]!++;
      },
    );
    expect(chiSquare(observed, expected)).toBeLessThan(critical(pairs.length));
    // Choosing patients uniformly, ignoring labels, is rejected by the same data.
    const byPatient = pairs.map((pair) => sets.filter((s) => pairOf(s) === pair).length);
    expect(chiSquare(observed, byPatient)).toBeGreaterThan(critical(pairs.length));
    // Each label's share of the delivered small chunks is a third.
    const perLabel = new Map<string, number>();
    run.state.patients.forEach((x, i) =>
      perLabel.set(labels[i]!, (perLabel.get(labels[i]!) ?? 0) + x.delivered),
    );
    const total = run.state.counters.delivered;
    for (const share of perLabel.values())
      expect(Math.abs(share / total - 1 / 3)).toBeLessThan(0.01);
  });
});
