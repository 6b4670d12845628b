/**
 * DESIGN.md §3 invariants of the scheduling state machine, over long random event sequences
 * under virtual time, checked after every step. Seeds of failures are printed by fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activePatients } from '../../src/scheduler/active-patients.js';
import { eligiblePatients } from '../../src/scheduler/eligible-patients.js';
import type { SchedulerConfig } from '../../src/scheduler/scheduler-config.js';
import type { SchedulerEvent } from '../../src/scheduler/scheduler-event.js';
import { step } from '../../src/scheduler/step.js';
import { actionArb, configArb, Run, type Action } from './support/driver.js';
import { numRuns } from './support/fc-runs.js';
import { checkAll, checkChunkIdentities } from './support/invariants.js';

const runs = numRuns(200);
const prestartArb = fc.array(
  fc.oneof(
    fc.record({ t: fc.constant('pull' as const), count: fc.integer({ min: 0, max: 8 }) }),
    fc.record({
      t: fc.constant('message' as const),
      patient: fc.nat({ max: 7 }),
      payload: fc.nat(),
    }),
  ),
  { maxLength: 3 },
);

function play(
  config: SchedulerConfig,
  prestart: readonly Action[],
  actions: readonly Action[],
  check = true,
): Run {
  const run = new Run(config, check ? (r) => checkAll(r.state, r.shell) : undefined);
  run.freezeStates = check;
  run.checkStale = check;
  for (const a of prestart) run.perform(a);
  run.feed({ type: 'start', now: run.now });
  for (const a of actions) run.perform(a);
  return run;
}

describe('step under random event sequences', () => {
  it('keeps invariants 1–4 and 8 after every step, never mutates its input, and ignores stale events', () => {
    fc.assert(
      fc.property(
        configArb,
        prestartArb,
        fc.array(actionArb, { minLength: 50, maxLength: 300 }),
        fc.boolean(),
        (config, prestart, actions, close) => {
          const run = play(config, prestart, actions);
          if (close) run.feed({ type: 'close', now: run.now + 1 });
          checkChunkIdentities(run.state, run.shell);
        },
      ),
      { numRuns: runs },
    );
  });

  it('is reproducible: the same seed and events give the same commands and states (invariant 6)', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(actionArb, { minLength: 50, maxLength: 200 }),
        (config, actions) => {
          const a = play(config, [], actions, false);
          const b = play(config, [], actions, false);
          expect(b.events).toEqual(a.events);
          expect(b.shell.log).toEqual(a.shell.log);
          expect(b.state).toEqual(a.state);
        },
      ),
      { numRuns: Math.ceil(runs / 4) },
    );
  });

  it('keeps all of its state in the state: a structured clone taken mid-run continues identically', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(actionArb, { minLength: 20, maxLength: 150 }),
        fc.array(actionArb, { minLength: 20, maxLength: 150 }),
        (config, first, second) => {
          const run = play(config, [], first, false);
          // The configuration is immutable and may hold a function; everything else is plain data.
          const { config: resolved, ...data } = run.state;
          const copy = { ...structuredClone(data), config: resolved };
          const before = run.events.length;
          for (const a of second) run.perform(a);
          let state = copy;
          for (const e of run.events.slice(before)) state = step(state, e).state;
          expect(state).toEqual(run.state);
        },
      ),
      { numRuns: Math.ceil(runs / 4) },
    );
  });

  it('keeps delivering while a patient is loadable, and a failing patient never blocks the others (invariants 2 and 7)', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(actionArb, { maxLength: 150 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (config, actions, doomedFlags) => {
          const run = play(config, [], actions);
          const doomed = new Set(config.patients.filter((_, i) => doomedFlags[i]).map((p) => p.id));
          const delivered: number[] = [];
          for (let round = 0; round < 60 && !run.state.closed; round++) {
            heal(run, doomed);
            delivered.push(run.state.counters.delivered);
            if (run.state.closed || run.state.exhausted) continue;
            // Backoffs (≤ 500 ms) have expired: every loadable patient that fits is active.
            const k = run.state.config.numBigChunkLoaders;
            expect(activePatients(run.state).length).toBe(
              Math.min(k, eligiblePatients(run.state).length),
            );
          }
          if (run.state.closed) {
            // Only the 'fail' policy closes on its own, after a 'fatal' command.
            expect(run.shell.log.some((c) => c.type === 'fatal')).toBe(true);
            return;
          }
          const healthy = eligiblePatients(run.state).filter((id) => !doomed.has(id));
          if (healthy.length > 0) {
            // Batches keep coming: once failing patients are set aside (≤ 8 patients × 4 failures,
            // one per round), delivery grows in every window of three rounds.
            for (let r = 40; r + 3 < delivered.length; r++) {
              expect(delivered[r + 3]!).toBeGreaterThan(delivered[r]!);
            }
          } else if (eligiblePatients(run.state).length === 0) {
            // Nothing loadable: the loader ends (exhausted), it does not hang.
            expect(run.state.exhausted).toBe(true);
            expect(run.shell.exhausted).toBe(true);
            expect(run.shell.outstandingLoads().filter((l) => !l.stopped)).toEqual([]);
          }
        },
      ),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  it('ignores every event after close and returns the very same state (invariant 8)', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(actionArb, { maxLength: 100 }),
        fc.array(actionArb, { maxLength: 30 }),
        (config, before, after) => {
          const run = play(config, [], before);
          run.feed({ type: 'close', now: run.now });
          const closed = run.state;
          const logLength = run.shell.log.length;
          for (const a of after) run.perform(a);
          const extra: SchedulerEvent[] = [
            { type: 'start', now: run.now },
            { type: 'tick', now: run.now + 1e9 },
            { type: 'pull', now: run.now, count: 5 },
            { type: 'close', now: run.now },
          ];
          for (const e of extra)
            expect(step(run.state, e)).toEqual({ state: closed, commands: [] });
          expect(run.state).toBe(closed);
          expect(run.shell.log.length).toBe(logLength);
        },
      ),
      { numRuns: Math.ceil(runs / 4) },
    );
  });
});

/** One round of a healthy shell: every load settles (doomed patients fail), collectors fill their credit, the consumer pulls, time passes. */
function heal(run: Run, doomed: ReadonlySet<string>): void {
  for (const load of run.shell.outstandingLoads()) {
    const ok = !doomed.has(load.patient);
    run.shell.settleLoad(load.slot, load.tenure, ok);
    run.now += 1;
    if (ok) run.feed({ type: 'loadSucceeded', now: run.now, slot: load.slot, tenure: load.tenure });
    else {
      const error = { code: 'ERR_IMAGE_DECODE', message: 'always fails' };
      run.feed({ type: 'loadFailed', now: run.now, slot: load.slot, tenure: load.tenure, error });
    }
  }
  for (const [slot, c] of [...run.shell.collectors]) {
    if (c.credit === 0) continue;
    const count = c.credit;
    run.shell.produce(slot, c.tenure, count);
    run.feed({ type: 'chunkProduced', now: run.now, slot, tenure: c.tenure, count });
  }
  run.feed({ type: 'pull', now: run.now, count: 8 });
  run.now += 600;
  run.feed({ type: 'tick', now: run.now });
}
