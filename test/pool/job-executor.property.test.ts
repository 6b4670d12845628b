import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobExecutor } from '../../src/pool/index.js';
import { BEHAVIOURS, numRuns, until, type Behaviour } from './executor-harness.js';

/**
 * Real workers make each run cost a pool start-up: this property runs a quarter of
 * `FC_NUM_RUNS` (25 by default), or `FC_NUM_RUNS_POOL` when set.
 */
const RUNS = Number(process.env['FC_NUM_RUNS_POOL']) || Math.max(1, Math.round(numRuns(100) / 4));

type Action =
  | {
      readonly t: 'submit';
      readonly kind: 'quick' | 'slow' | 'wait-abort' | 'crash-once' | 'crash-always' | 'fail';
    }
  | { readonly t: 'abort'; readonly k: number }
  | { readonly t: 'reset' }
  | { readonly t: 'pause'; readonly ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('submit' as const),
      kind: fc.constantFrom(
        'quick' as const,
        'slow' as const,
        'wait-abort' as const,
        'crash-once' as const,
        'crash-always' as const,
        'fail' as const,
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('abort' as const), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reset' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 25 }) }),
  },
);

function behaviour(kind: Extract<Action, { t: 'submit' }>['kind'], i: number): Behaviour {
  switch (kind) {
    case 'quick':
      return { op: 'echo', value: i };
    case 'slow':
      return { op: 'sleep', ms: 10 + (i % 3) * 10, value: i };
    case 'wait-abort':
      return { op: 'wait-abort' };
    case 'crash-once':
      return { op: 'exit', code: 3, attempts: 1 };
    case 'crash-always':
      return { op: 'exit', code: 4 };
    case 'fail':
      return { op: 'throw', message: `job ${i} fails` };
  }
}

function withinBaseline(counts: Record<string, number>, baseline: Record<string, number>): boolean {
  return Object.entries(counts).every(([type, n]) => n <= (baseline[type] ?? 0));
}

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe('JobExecutor with real workers (property)', () => {
  it('settles every job exactly once, never exceeds its capacity and leaves nothing behind, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.array(action, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        async (maxQueue, actions, closeTimeoutMs, warm) => {
          const workers = 2;
          const baseline = resourceCounts();
          const ex = new JobExecutor<Behaviour, unknown>({
            module: BEHAVIOURS,
            workers,
            maxQueue,
            abortGraceMs: 30,
          });
          const settlements: number[] = [];
          const controllers: AbortController[] = [];
          const promises: Promise<unknown>[] = [];
          let outcomes = 0;
          let completed = false;
          ex.results$.subscribe({ next: () => outcomes++, complete: () => (completed = true) });
          const check = (): void => {
            const r = ex.report();
            expect(r.running).toBeLessThanOrEqual(workers);
            expect(r.queued + r.running).toBeLessThanOrEqual(workers + maxQueue);
            for (const count of settlements) expect(count).toBeLessThanOrEqual(1);
          };
          try {
            // Half the runs start once the workers are up; the others race their start-up.
            if (warm) {
              settlements.push(0);
              controllers.push(new AbortController());
              promises.push(ex.run({ op: 'echo', value: 'warm' }).then(() => settlements[0]!++));
              await promises[0];
            }
            for (const a of actions) {
              if (a.t === 'submit') {
                const i = promises.length;
                const controller = new AbortController();
                controllers.push(controller);
                settlements.push(0);
                const p = ex.run(behaviour(a.kind, i), { signal: controller.signal });
                promises.push(
                  p.then(
                    () => settlements[i]!++,
                    () => settlements[i]!++,
                  ),
                );
              } else if (a.t === 'abort') {
                if (controllers.length > 0)
                  controllers[a.k % controllers.length]!.abort(new Error('aborted'));
              } else if (a.t === 'reset') {
                ex.reset();
              } else {
                await new Promise((resolve) => setTimeout(resolve, a.ms));
              }
              check();
            }
          } finally {
            await ex.close({ timeoutMs: closeTimeoutMs });
          }
          await Promise.all(promises);
          check();
          expect(settlements.every((count) => count === 1)).toBe(true);
          const r = ex.report();
          expect(r).toMatchObject({
            state: 'closed',
            running: 0,
            queued: 0,
            waiting: 0,
            liveWorkers: 0,
          });
          expect(r.workers.every((w) => w.state === 'stopped')).toBe(true);
          expect(r.completed + r.failed + r.cancelled).toBe(promises.length);
          expect(outcomes).toBeLessThanOrEqual(promises.length);
          expect(completed).toBe(true);
          // No handle of the executor keeps the process alive. The test runner's own short-lived
          // handles (timers, ports) come and go, so wait a little for counts back to the baseline.
          await until(() => withinBaseline(resourceCounts(), baseline), 80);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
