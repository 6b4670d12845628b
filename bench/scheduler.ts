/**
 * Cost of the pure scheduling state machine on the main thread: a simulated shell completes every
 * load at once, collectors deliver their credit in batches of 8 small chunks, the consumer pulls
 * batches of 32, and the reschedule interval elapses every fifth round of that. Reports microseconds per
 * event and the small chunks per second the machine alone could move, by policy and dataset size.
 *
 * `npx tsx bench/index.ts scheduler [--quick]`
 */
import type { BenchOptions, BenchRow, BenchScenario } from './harness.js';
import { initialState } from '../src/scheduler/initial-state.js';
import type { SchedulerPolicy } from '../src/scheduler/scheduler-policy.js';
import type { SchedulerEvent } from '../src/scheduler/scheduler-event.js';
import type { SchedulerState } from '../src/scheduler/scheduler-state.js';
import { step } from '../src/scheduler/step.js';

interface Case {
  readonly label: string;
  readonly patients: number;
  readonly slots: number;
  readonly policy: SchedulerPolicy;
}

const CASES: readonly Case[] = [
  { label: "'pydmed'", patients: 8, slots: 4, policy: 'pydmed' },
  { label: "'weighted'", patients: 8, slots: 4, policy: 'weighted' },
  { label: "'label-balanced'", patients: 8, slots: 4, policy: 'label-balanced' },
  { label: "'round-robin'", patients: 8, slots: 4, policy: 'round-robin' },
  { label: "'pydmed'", patients: 10_000, slots: 16, policy: 'pydmed' },
  { label: "'weighted'", patients: 10_000, slots: 16, policy: 'weighted' },
];

function simulate(c: Case, events: number): BenchRow {
  let state: SchedulerState = initialState({
    patients: Array.from({ length: c.patients }, (_, i) => ({
      id: `p${i}`,
      weight: 1 + (i % 3),
      label: `l${i % 4}`,
    })),
    numBigChunkLoaders: c.slots,
    policy: c.policy,
    rescheduleIntervalMs: 100,
    seed: 1,
  });
  const loads: { slot: number; tenure: number }[] = [];
  const credit = new Map<number, { tenure: number; credit: number }>();
  let now = 0;
  let fed = 0;
  const feed = (event: SchedulerEvent): void => {
    const r = step(state, event);
    state = r.state;
    fed++;
    for (const cmd of r.commands) {
      if (cmd.type === 'load') loads.push({ slot: cmd.slot, tenure: cmd.tenure });
      else if (cmd.type === 'grant') {
        const cur = credit.get(cmd.slot);
        if (cur?.tenure === cmd.tenure) cur.credit += cmd.credit;
        else credit.set(cmd.slot, { tenure: cmd.tenure, credit: cmd.credit });
      } else if (cmd.type === 'stop') credit.delete(cmd.slot);
    }
  };
  const t0 = performance.now();
  feed({ type: 'start', now });
  for (let round = 1; fed < events; round++) {
    for (const load of loads.splice(0)) feed({ type: 'loadSucceeded', now, ...load });
    for (const [slot, c] of credit) {
      if (c.credit === 0) continue;
      const count = Math.min(8, c.credit);
      c.credit -= count;
      feed({ type: 'chunkProduced', now, slot, tenure: c.tenure, count });
    }
    feed({ type: 'pull', now, count: 32 });
    if (round % 5 === 0) {
      now += 100;
      feed({ type: 'tick', now });
    }
  }
  const ms = performance.now() - t0;
  return {
    policy: c.label,
    patients: c.patients,
    slots: c.slots,
    events: fed,
    swaps: state.counters.swaps,
    'µs/event': (ms * 1000) / fed,
    'events/s': Math.round(fed / (ms / 1000)),
    'chunks/s (machine only)': Math.round(state.counters.delivered / (ms / 1000)),
  };
}

export const schedulerScenario: BenchScenario = {
  name: 'scheduler',
  title: 'Scheduling state machine: main-thread cost per event (simulated shell, no I/O)',
  run({ quick }: BenchOptions): Promise<readonly BenchRow[]> {
    const events = quick ? 20_000 : 200_000;
    simulate(CASES[0]!, 5_000); // warm-up
    return Promise.resolve(CASES.map((c) => simulate(c, events)));
  },
};
