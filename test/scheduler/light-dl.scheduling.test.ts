/**
 * LightDL's scheduling carried out by the real shell on worker threads: one tenure per patient at
 * a time, more slots than patients, a single patient, swaps, the swap disposition, and seeded
 * reproducibility.
 */
import { describe, expect, it } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import type { BigChunkInfo } from '../../src/loaders/big-chunk.js';
import type { LightDL } from '../../src/scheduler/light-dl.js';
import {
  SMALL,
  lightDLFactory,
  slideDataset,
  until,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

/** Patients holding more than one slot right now. */
function doubleBooked(dl: LightDL): string[] {
  const held = dl
    .stats()
    .scheduler.slots.map((s) => s.patient)
    .filter((p): p is string => p !== undefined);
  return held.filter((p, i) => held.indexOf(p) !== i);
}

describe('LightDL scheduling', () => {
  it('never gives one patient two slots at once, across many swaps', async () => {
    const dataset = await slideDataset(4);
    const dl = make({
      ...SMALL,
      dataset,
      numBigChunkLoaders: 3,
      rescheduleIntervalMs: 25,
      statsIntervalMs: 10,
      smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 4 }),
    });
    const violations: string[] = [];
    const check = (when: string): void => {
      const twice = doubleBooked(dl);
      if (twice.length > 0) violations.push(`${when}: ${twice.join(', ')}`);
    };
    const owner = new Map<number, string>();
    dl.bigChunks$.subscribe((b) => {
      check(`big chunk ${b.patient}/${b.tenure}`);
      const known = owner.get(b.tenure);
      if (known !== undefined && known !== b.patient) {
        violations.push(`tenure ${b.tenure} loaded for ${known} and ${b.patient}`);
      }
      owner.set(b.tenure, b.patient);
    });
    const stats = dl.stats$.subscribe(() => check('stats tick'));
    const patients = new Set<string>();
    await walk(dl, (s) => {
      check(`chunk of ${s.info.patient}`);
      patients.add(s.info.patient);
      return dl.stats().scheduler.counters.swaps < 6 || patients.size < 4;
    });
    stats.unsubscribe();
    expect(violations).toEqual([]);
    expect(dl.stats().scheduler.counters.swaps).toBeGreaterThanOrEqual(6);
    expect(patients.size).toBe(4);
  });

  it('runs with more slots than patients: every patient active, none swapped', async () => {
    const dataset = await slideDataset(2);
    const dl = make({ ...SMALL, dataset, numBigChunkLoaders: 5, rescheduleIntervalMs: 20 });
    const count = new Map<string, number>();
    await walk(dl, (s) => {
      count.set(s.info.patient, (count.get(s.info.patient) ?? 0) + 1);
      return (count.get('p0') ?? 0) < 24 || (count.get('p1') ?? 0) < 24;
    });
    const s = dl.stats().scheduler;
    expect(s.slots).toHaveLength(5);
    expect(s.patients.map((p) => p.timesScheduled)).toEqual([1, 1]);
    expect(s.counters.swaps).toBe(0);
    expect(s.counters.tenures).toBe(2);
  });

  it('runs with a dataset of one patient, loading big chunk after big chunk', async () => {
    const dataset = await slideDataset(1);
    const dl = make({ ...SMALL, dataset, numBigChunkLoaders: 4, rescheduleIntervalMs: 20 });
    const bigChunks = new Set<number>();
    const patients = new Set<string>();
    let last = dl.stats();
    await walk(dl, (s) => {
      patients.add(s.info.patient);
      bigChunks.add(s.info.parent.index);
      last = dl.stats();
      return bigChunks.size < 5;
    });
    expect(patients).toEqual(new Set(['p0']));
    expect(last.scheduler.active).toBe(1);
    expect(last.scheduler.patients[0]!.timesScheduled).toBe(1);
    expect(last.scheduler.counters.swaps).toBe(0);
  });

  for (const onSwap of ['drain', 'discard'] as const) {
    it(`counts what a swap does to buffered small chunks (onSwap: '${onSwap}')`, async () => {
      const dataset = await slideDataset(4);
      const dl = make({
        ...SMALL,
        dataset,
        onSwap,
        numBigChunkLoaders: 2,
        rescheduleIntervalMs: 30,
        smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 64 }),
      });
      const delivered: SmallChunk[] = [];
      const sub = dl.smallChunks$.subscribeWithDemand((c) => delivered.push(c));
      // A slow consumer (4 chunks per poll): slot buffers stay full, so swaps end tenures with
      // small chunks still queued.
      let asked = 0;
      await until(() => {
        if (delivered.length === asked) {
          sub.request(4);
          asked += 4;
        }
        const c = dl.stats().scheduler.counters;
        return c.swaps >= 3 && (onSwap === 'drain' ? c.drained : c.dropped.swap) > 0;
      }, 'three swaps that drained or discarded');
      const c = dl.stats().scheduler.counters;
      if (onSwap === 'discard') {
        expect(c.drained).toBe(0);
      } else {
        expect(c.dropped.swap + c.dropped.failure).toBe(0);
      }
      const s = dl.stats();
      // Conservation: nothing is lost without being counted.
      expect(c.produced).toBe(
        c.delivered + s.buffered + c.dropped.swap + c.dropped.failure + c.dropped.close,
      );
      expect(c.delivered).toBe(delivered.length);
      sub.unsubscribe();
    });
  }

  it('makes the same first choices and draws the same regions and patches for the same seed', async () => {
    const dataset = await slideDataset(4);
    interface FirstChoices {
      /** Patient of each initial tenure (admitted at the start). */
      readonly tenures: Map<number, string>;
      /** Region of the first big chunk of each initial tenure. */
      readonly regions: Map<number, string>;
      /** Position of every patch of those big chunks, by tenure and call. */
      readonly patches: Map<string, string>;
    }
    const firstChoices = async (seed: number): Promise<FirstChoices> => {
      const dl = make({
        ...SMALL,
        dataset,
        seed,
        numBigChunkLoaders: 2,
        smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 6 }),
      });
      const tenures = new Map<number, string>();
      const regions = new Map<number, string>();
      dl.bigChunks$.subscribe((b: BigChunkInfo) => {
        if (b.index === 0) regions.set(b.tenure, JSON.stringify(b.region));
      });
      const patches = new Map<string, string>();
      await walk(dl, (s) => {
        if (tenures.size === 0) {
          for (const slot of dl.stats().scheduler.slots) tenures.set(slot.tenure, slot.patient!);
        }
        const p = s.info.parent;
        if (p.index === 0 && tenures.has(p.tenure)) {
          patches.set(`${p.tenure}:${s.info.callCount}`, `${s.info.x},${s.info.y}`);
        }
        return patches.size < 12;
      });
      return { tenures, regions, patches };
    };
    const a = await firstChoices(7);
    const b = await firstChoices(7);
    const c = await firstChoices(8);
    expect([...a.tenures.keys()].sort()).toEqual([1, 2]);
    expect(b.tenures).toEqual(a.tenures);
    expect(a.patches.size).toBe(12);
    expect(b.patches).toEqual(a.patches);
    for (const t of [1, 2]) expect(b.regions.get(t)).toBe(a.regions.get(t));
    // Another seed: other regions for the same tenures.
    for (const t of [1, 2]) {
      if (c.tenures.get(t) === a.tenures.get(t))
        expect(c.regions.get(t)).not.toBe(a.regions.get(t));
    }
    expect([...c.patches].filter(([k, v]) => a.patches.get(k) === v).length).toBeLessThan(3);
  });
});
