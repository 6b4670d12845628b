import { describe, expect, it } from 'vitest';
import { schedulerStats } from '../../src/scheduler/scheduler-stats.js';
import { ids, Machine } from './support/machine.js';

describe('schedulerStats', () => {
  it('summarises slots, queues, drain leftovers and per-patient counts in a frozen snapshot', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      policy: 'round-robin',
      rescheduleIntervalMs: 100,
      maxLengthQueueLightDL: 2,
    });
    m.send({ type: 'start' });
    m.serve(0, 5); // 2 merged, 3 queued
    m.serve(1, 1); // queued: the merged queue is full
    // A pull when the swap is due: the freed place goes to slot 1, next in turn, then p0 is
    // swapped out for p2 and its queued chunks are drain leftovers.
    m.send({ type: 'pull', count: 1, now: 100 });
    const stats = schedulerStats(m.state);
    expect(stats).toMatchObject({
      started: true,
      closed: false,
      active: 2,
      inFlight: 1,
      mergedQueue: 2,
      demand: 0,
      nextSwapAt: 200,
    });
    expect(stats.slots.map((s) => [s.phase, s.patient, s.queued, s.credit])).toEqual([
      ['loading', 'p2', 3, 0],
      ['collecting', 'p1', 0, 63],
    ]);
    expect(stats.drainPending).toBe(3);
    expect(stats.patients).toEqual([
      {
        id: 'p0',
        slot: undefined,
        timesScheduled: 1,
        produced: 5,
        delivered: 1,
        dropped: 0,
        failures: 0,
        setAside: false,
      },
      {
        id: 'p1',
        slot: 1,
        timesScheduled: 1,
        produced: 1,
        delivered: 0,
        dropped: 0,
        failures: 0,
        setAside: false,
      },
      {
        id: 'p2',
        slot: 0,
        timesScheduled: 1,
        produced: 0,
        delivered: 0,
        dropped: 0,
        failures: 0,
        setAside: false,
      },
    ]);
    expect(stats.counters).toEqual(m.state.counters);
    expect(
      Object.isFrozen(stats) &&
        Object.isFrozen(stats.slots[0]) &&
        Object.isFrozen(stats.counters.dropped),
    ).toBe(true);
  });
});
