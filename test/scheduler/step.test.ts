import { describe, expect, it } from 'vitest';
import { activePatients } from '../../src/scheduler/active-patients.js';
import type { CustomSchedulerPolicy, PolicyView } from '../../src/scheduler/scheduler-policy.js';
import { nextWakeAt } from '../../src/scheduler/next-wake-at.js';
import { step } from '../../src/scheduler/step.js';
import { ids, Machine, ofType } from './support/machine.js';

const boom = { code: 'ERR_IMAGE_DECODE', message: 'truncated tile' };

describe('start', () => {
  it('fills every slot with a distinct patient and loads them all at once', () => {
    const m = new Machine({ patients: ids(6), numBigChunkLoaders: 4, seed: 3 });
    const loads = ofType(m.send({ type: 'start' }), 'load');
    expect(loads.map((l) => l.slot)).toEqual([0, 1, 2, 3]);
    expect(loads.map((l) => l.tenure)).toEqual([1, 2, 3, 4]);
    expect(new Set(loads.map((l) => l.patient)).size).toBe(4);
    expect(loads.every((l) => l.attempt === 1 && l.bigChunk === 0)).toBe(true);
    expect(m.state.slots.map((s) => s.phase)).toEqual(['loading', 'loading', 'loading', 'loading']);
  });

  it('issues at most maxInFlight loads; the others wait and load, oldest first, as loads settle', () => {
    const m = new Machine({ patients: ids(6), numBigChunkLoaders: 4, maxInFlight: 2 });
    expect(ofType(m.send({ type: 'start' }), 'load').map((l) => l.slot)).toEqual([0, 1]);
    expect(m.state.slots.map((s) => s.phase)).toEqual(['loading', 'loading', 'pending', 'pending']);
    expect(ofType(m.serve(1), 'load').map((l) => l.slot)).toEqual([2]);
    const failed = m.send({ type: 'loadFailed', slot: 0, tenure: 1, error: boom });
    // Slot 3 waited longest; slot 0's replacement queues behind it.
    expect(ofType(failed, 'load').map((l) => l.slot)).toEqual([3]);
    expect(m.state.slots[0]!.phase).toBe('pending');
  });

  it('works with more slots than patients: each patient in one slot, the rest empty, no swap', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 5, rescheduleIntervalMs: 100 });
    m.send({ type: 'start' });
    expect([...activePatients(m.state)].sort()).toEqual(['p0', 'p1']);
    m.serve(0, 3);
    m.serve(1, 3);
    for (let i = 0; i < 5; i++) expect(ofType(m.tick(100), 'stop')).toEqual([]);
    expect(m.state.counters.swapsSkipped).toBe(5);
    expect(m.state.slots.slice(2).every((s) => s.phase === 'empty')).toBe(true);
    expect(ofType(m.send({ type: 'pull', count: 6 }), 'deliver')).toEqual([
      { type: 'deliver', count: 6 },
    ]);
  });

  it('works with a single patient, which keeps its slot', () => {
    const m = new Machine({ patients: ids(1), numBigChunkLoaders: 1, rescheduleIntervalMs: 10 });
    m.send({ type: 'start' });
    m.serve(0, 4);
    m.tick(1000);
    expect(activePatients(m.state)).toEqual(['p0']);
    expect(m.send({ type: 'pull', count: 4 })).toContainEqual({ type: 'deliver', count: 4 });
  });

  it('accepts pulls and messages before start, and a second start is ignored', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1 });
    expect(m.send({ type: 'pull', count: 3 })).toEqual([]);
    m.send({ type: 'message', patient: 'p0', payload: 'early' });
    m.send({ type: 'message', patient: 'p1', payload: 'early' });
    const load = ofType(m.send({ type: 'start' }), 'load')[0]!;
    expect(load.messages).toEqual(['early']);
    expect(m.send({ type: 'start' })).toEqual([]);
    expect(m.state.counters.ignoredEvents).toBe(1);
    expect(m.serve(0, 3)).toContainEqual({ type: 'deliver', count: 3 });
  });
});

describe('credit, merge and delivery', () => {
  it('grants the whole room on load, then tops up once a quarter of the bound is free', () => {
    const m = new Machine({
      patients: ids(1),
      numBigChunkLoaders: 1,
      maxLengthQueueSmallChunk: 8,
      maxLengthQueueLightDL: 4,
    });
    m.send({ type: 'start' });
    expect(ofType(m.serve(0), 'grant')).toEqual([{ type: 'grant', slot: 0, tenure: 1, credit: 8 }]);
    // 8 produced: 4 move to the merged queue, 4 stay; 4 free ≥ 2 → grant 4.
    expect(
      ofType(m.send({ type: 'chunkProduced', slot: 0, tenure: 1, count: 8 }), 'grant'),
    ).toEqual([{ type: 'grant', slot: 0, tenure: 1, credit: 4 }]);
    m.send({ type: 'chunkProduced', slot: 0, tenure: 1, count: 4 });
    expect(m.state.slots[0]).toMatchObject({ queued: 8, credit: 0 });
    // One delivered frees one place: below a quarter of the bound, no grant yet.
    expect(ofType(m.send({ type: 'pull', count: 1 }), 'grant')).toEqual([]);
    expect(ofType(m.send({ type: 'pull', count: 1 }), 'grant')).toEqual([
      { type: 'grant', slot: 0, tenure: 1, credit: 2 },
    ]);
  });

  it('never lets queued + credit exceed the slot bound while the consumer does not pull', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 1,
      maxLengthQueueSmallChunk: 5,
      maxLengthQueueLightDL: 3,
    });
    m.send({ type: 'start' });
    m.serve(0);
    for (let i = 0; i < 10; i++) {
      const s = m.state.slots[0]!;
      if (s.credit > 0)
        m.send({ type: 'chunkProduced', slot: 0, tenure: s.tenure, count: s.credit });
      expect(m.state.slots[0]!.queued + m.state.slots[0]!.credit).toBeLessThanOrEqual(5);
    }
    expect(m.state.slots[0]).toMatchObject({ queued: 5, credit: 0 });
    expect(m.state.mergedCount).toBe(3);
    expect(m.state.counters.produced).toBe(8);
  });

  it('merges round-robin: one chunk from each non-empty slot in turn', () => {
    const m = new Machine({ patients: ids(3), numBigChunkLoaders: 3, maxLengthQueueLightDL: 1 });
    m.send({ type: 'start' });
    for (const slot of [0, 1, 2]) m.serve(slot, 2);
    // Slot 0's first chunk took the only place; the rest wait in the slots.
    const out = m.send({ type: 'pull', count: 6 });
    const moves = ofType(out, 'merge').flatMap((c) => c.moves.map((mv) => mv.slot));
    expect(moves).toEqual([1, 2, 0, 1, 2]);
    expect(ofType(out, 'deliver').reduce((n, d) => n + d.count, 0)).toBe(6);
  });

  it('serves a demand larger than the merged queue in full within one step', () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 2,
      maxLengthQueueSmallChunk: 10,
      maxLengthQueueLightDL: 2,
    });
    m.send({ type: 'start' });
    m.serve(0, 10);
    m.serve(1, 10);
    m.send({ type: 'pull', count: 15 });
    expect(m.state.counters.delivered).toBe(15);
    expect(m.state.demand).toBe(0);
  });

  it('remembers unmet demand and delivers as soon as chunks arrive', () => {
    const m = new Machine({ patients: ids(1), numBigChunkLoaders: 1 });
    m.send({ type: 'start' });
    expect(m.send({ type: 'pull', count: 5 })).toEqual([]);
    m.serve(0);
    expect(
      ofType(m.send({ type: 'chunkProduced', slot: 0, tenure: 1, count: 3 }), 'deliver'),
    ).toEqual([{ type: 'deliver', count: 3 }]);
    expect(m.state.demand).toBe(2);
  });

  it('counts chunks of an ended tenure as late and does not accept them', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1, rescheduleIntervalMs: 100 });
    m.send({ type: 'start' });
    m.serve(0, 1);
    m.tick(100);
    expect(m.send({ type: 'chunkProduced', slot: 0, tenure: 1, count: 2 })).toEqual([]);
    expect(m.state.counters).toMatchObject({ produced: 1, lateChunks: 2, ignoredEvents: 1 });
  });
});

describe('swaps', () => {
  it('swaps one patient per interval, and once only however late the tick', () => {
    const m = new Machine({ patients: ids(4), numBigChunkLoaders: 2, rescheduleIntervalMs: 100 });
    m.send({ type: 'start' });
    m.serve(0, 1);
    m.serve(1, 1);
    expect(ofType(m.tick(99), 'stop')).toEqual([]);
    const out = m.tick(1);
    expect(ofType(out, 'stop')).toHaveLength(1);
    expect(ofType(out, 'load')).toHaveLength(1);
    expect(m.state.nextSwapAt).toBe(200);
    m.serve(ofType(out, 'load')[0]!.slot, 1);
    expect(ofType(m.tick(450), 'stop')).toHaveLength(1);
    expect(m.state.nextSwapAt).toBe(600);
    expect(m.state.counters.swaps).toBe(2);
  });

  it('never swaps with an infinite interval', () => {
    const m = new Machine({
      patients: ids(4),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: Infinity,
    });
    m.send({ type: 'start' });
    m.serve(0, 1);
    m.serve(1, 1);
    expect(ofType(m.tick(1e12), 'stop')).toEqual([]);
    expect(m.state.nextSwapAt).toBe(Infinity);
  });

  it('only evicts patients that have served something: never a load in progress', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 100,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(1); // collecting, nothing produced yet; slot 0 still loading
    expect(ofType(m.tick(100), 'stop')).toEqual([]);
    m.send({ type: 'loadSucceeded', slot: 0, tenure: 1 });
    expect(m.state.counters.swaps).toBe(0);
    const out = m.send({ type: 'chunkProduced', slot: 1, tenure: 2 });
    expect(ofType(out, 'stop')).toMatchObject([{ slot: 1, patient: 'p1', reason: 'swap' }]);
  });

  it("with onSwap 'drain', the evicted tenure's chunks still reach the consumer and count against the slot", () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      maxLengthQueueSmallChunk: 8,
      maxLengthQueueLightDL: 1,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(0, 6); // 1 merged, 5 queued
    // The consumer has not pulled yet and the merged queue is full: the due swap waits for it.
    expect(ofType(m.tick(100), 'stop')).toEqual([]);
    // Its pull takes the merged chunk, one more moves up (4 left queued), and the swap happens.
    const out = m.send({ type: 'pull', count: 1 });
    expect(ofType(out, 'stop')).toEqual([
      {
        type: 'stop',
        slot: 0,
        tenure: 1,
        patient: 'p0',
        reason: 'swap',
        disposition: 'drain',
        discarded: 0,
      },
    ]);
    // The newcomer may only fill what the leftovers leave free.
    expect(ofType(m.serve(0), 'grant')).toEqual([{ type: 'grant', slot: 0, tenure: 2, credit: 4 }]);
    m.send({ type: 'pull', count: 5 });
    expect(m.state.counters).toMatchObject({
      delivered: 6,
      drained: 4,
      dropped: { swap: 0, failure: 0, close: 0 },
    });
    expect(m.state.patients[0]!.delivered).toBe(6);
  });

  it("with onSwap 'discard', the evicted tenure's queued chunks are dropped and counted", () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      maxLengthQueueLightDL: 1,
      onSwap: 'discard',
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(0, 6); // 1 merged, 5 queued
    expect(ofType(m.tick(100), 'stop')).toEqual([]); // held for a consumer that has not pulled
    expect(ofType(m.send({ type: 'pull', count: 1 }), 'stop')).toMatchObject([
      { disposition: 'discard', discarded: 4 },
    ]);
    expect(m.state.counters.dropped.swap).toBe(4);
    expect(m.state.patients[0]!.dropped).toBe(4);
    expect(m.state.slots[0]!.queued).toBe(0);
  });

  it('holds a due swap while the consumer is stalled, without waking up, and swaps at its next pull', () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      maxLengthQueueLightDL: 2,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.send({ type: 'pull', count: 2 });
    m.serve(0, 8); // 2 delivered, 2 merged (full), 4 queued; nothing asked any more
    for (const t of [100, 250, 1000]) {
      expect(ofType(m.send({ type: 'tick', now: t }), 'stop')).toEqual([]);
      // Nothing to wake up for: the held swap waits for an event, not a timer.
      expect(nextWakeAt(m.state)).toBeUndefined();
    }
    expect(m.state.counters).toMatchObject({ swaps: 0, swapsSkipped: 0 });
    expect(ofType(m.send({ type: 'pull', count: 1 }), 'stop')).toMatchObject([
      { slot: 0, patient: 'p0', reason: 'swap' },
    ]);
    expect(m.state.counters.swaps).toBe(1);
  });

  it('does not hold swaps for a consumer that is waiting, and swaps for a slow one at its pull', () => {
    const options = {
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      maxLengthQueueLightDL: 2,
      policy: 'round-robin',
    } as const;
    // Waiting: it asked for more than there is.
    const waiting = new Machine(options);
    waiting.send({ type: 'start' });
    waiting.serve(0, 1);
    waiting.send({ type: 'pull', count: 4 });
    expect(ofType(waiting.tick(100), 'stop')).toHaveLength(1);
    // Slow: the merged queue is full again after each pull, but it did pull after t = 100.
    const slow = new Machine(options);
    slow.send({ type: 'start' });
    slow.serve(0, 8);
    expect(ofType(slow.send({ type: 'tick', now: 120 }), 'stop')).toEqual([]);
    expect(ofType(slow.send({ type: 'pull', count: 1 }), 'stop')).toHaveLength(1);
  });

  it('defers a due swap while nobody is evictable, then swaps at the first chance', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 100,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(0);
    expect(m.tick(150)).toEqual([]);
    expect(m.state.nextSwapAt).toBe(100); // still due
    // An event that makes slot 0 evictable triggers the swap; the next one is due a grid step later.
    const out = m.send({ type: 'chunkProduced', slot: 0, tenure: 1 });
    expect(ofType(out, 'stop')).toMatchObject([{ slot: 0, patient: 'p0', reason: 'swap' }]);
    expect(ofType(out, 'load')).toMatchObject([{ slot: 0, patient: 'p2', tenure: 3 }]);
    expect(m.state.nextSwapAt).toBe(200);
    expect(m.state.counters).toMatchObject({ swaps: 1, swapsSkipped: 0 });
  });

  it('lets an interval pass without a swap when nobody is waiting', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 2, rescheduleIntervalMs: 100 });
    m.send({ type: 'start' });
    m.serve(0, 1);
    m.serve(1, 1);
    expect(m.tick(100)).toEqual([]);
    expect(m.state.nextSwapAt).toBe(200);
    expect(m.state.counters.swapsSkipped).toBe(1);
  });

  it('never stops a load in flight: loads wait in `pending` for pool capacity instead', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      maxInFlight: 1,
      rescheduleIntervalMs: 100,
    });
    expect(ofType(m.send({ type: 'start' }), 'load')).toMatchObject([{ slot: 0 }]);
    expect(ofType(m.serve(0, 1), 'load')).toMatchObject([{ slot: 1 }]);
    // Slot 1 is loading; the due swap evicts slot 0's patient, whose replacement waits its turn.
    const out = m.tick(100);
    expect(ofType(out, 'stop')).toMatchObject([{ slot: 0, reason: 'swap' }]);
    expect(ofType(out, 'load')).toEqual([]);
    expect(m.state.slots.map((s) => s.phase)).toEqual(['pending', 'loading']);
    expect(ofType(m.serve(1), 'load')).toMatchObject([{ slot: 0, tenure: 3 }]);
  });
});

describe('reloads within a tenure', () => {
  it('loads the next big chunk of the same patient and tenure when the collector finishes', () => {
    const m = new Machine({ patients: ids(3), numBigChunkLoaders: 1, policy: 'round-robin' });
    m.send({ type: 'start' });
    m.serve(0, 2);
    const out = m.send({ type: 'collectorFinished', slot: 0, tenure: 1 });
    expect(ofType(out, 'load')).toMatchObject([{ slot: 0, tenure: 1, patient: 'p0', bigChunk: 1 }]);
    expect(m.state.slots[0]).toMatchObject({ phase: 'loading', credit: 0, produced: 2 });
    expect(m.state.mergedCount).toBe(2);
    expect(m.state.patients[0]!.timesScheduled).toBe(1);
  });
});

describe('failures', () => {
  it('refills a failed slot with another patient at once and backs the failing one off', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 1,
      failure: { backoffMs: 500 },
      policy: 'round-robin',
    });
    m.send({ type: 'start', now: 1000 });
    const out = m.send({ type: 'loadFailed', slot: 0, tenure: 1, error: boom, now: 1010 });
    expect(ofType(out, 'stop')).toMatchObject([{ slot: 0, tenure: 1, reason: 'failure' }]);
    expect(ofType(out, 'error')).toEqual([
      {
        type: 'error',
        source: 'loader',
        patient: 'p0',
        slot: 0,
        tenure: 1,
        attempt: 1,
        cause: boom,
        retryAt: 1510,
      },
    ]);
    const load = ofType(out, 'load')[0]!;
    expect(load.patient).not.toBe('p0');
    expect(load.tenure).toBe(2);
    expect(m.state.patients[0]).toMatchObject({ retryAt: 1510, consecutiveFailures: 1 });
  });

  it('backs off exponentially up to the cap, then sets the patient aside; all set aside means exhausted', () => {
    const m = new Machine({
      patients: ids(1),
      numBigChunkLoaders: 1,
      failure: { maxConsecutiveFailures: 4, backoffMs: 100, backoffFactor: 3, maxBackoffMs: 500 },
    });
    m.send({ type: 'start' });
    const retries: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const tenure = m.state.slots[0]!.tenure;
      const out = m.send({ type: 'workerExited', slot: 0, tenure });
      const error = ofType(out, 'error')[0]!;
      expect(error.attempt).toBe(attempt);
      expect(error.cause.code).toBe('ERR_WORKER_EXITED');
      retries.push(error.retryAt === undefined ? undefined : error.retryAt - m.now);
      if (attempt < 4) {
        // Alone and backing off: the loader is idle until the backoff ends.
        expect(ofType(out, 'idle')).toEqual([{ type: 'idle', until: error.retryAt }]);
        expect(ofType(m.send({ type: 'tick', now: error.retryAt! - 1 }), 'load')).toEqual([]);
        expect(ofType(m.send({ type: 'tick', now: error.retryAt! }), 'load')).toMatchObject([
          { patient: 'p0', attempt: attempt + 1 },
        ]);
      } else {
        expect(ofType(out, 'setAside')).toEqual([
          {
            type: 'setAside',
            patient: 'p0',
            failures: 4,
            cause: { code: 'ERR_WORKER_EXITED', message: 'The worker exited' },
          },
        ]);
        expect(ofType(out, 'exhausted')).toEqual([{ type: 'exhausted', patients: ['p0'] }]);
      }
    }
    expect(retries).toEqual([100, 300, 500, undefined]);
    expect(m.state.exhausted).toBe(true);
    expect(ofType(m.tick(1e6), 'load')).toEqual([]);
  });

  it('counts a collector that keeps failing after good loads: only served chunks reset the count', () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      failure: { maxConsecutiveFailures: 2, backoffMs: 0 },
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    const fail = (): ReturnType<Machine['send']> => {
      const s = m.state.slots[0]!;
      m.serve(0);
      return m.send({ type: 'collectorFailed', slot: 0, tenure: s.tenure, error: boom });
    };
    expect(ofType(fail(), 'error')).toMatchObject([
      { source: 'collector', patient: 'p0', attempt: 1 },
    ]);
    expect(ofType(fail(), 'error')).toMatchObject([{ patient: 'p1', attempt: 1 }]);
    // p0 again: a load succeeded in between, but the collector never served: second failure.
    expect(ofType(fail(), 'setAside')).toMatchObject([{ patient: 'p0', failures: 2 }]);
    // A served chunk resets p1's count.
    m.serve(0, 1);
    expect(m.state.patients[1]!.consecutiveFailures).toBe(0);
  });

  it("with onExhausted 'fail', fails the whole scheduler: fatal, then closed", () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      failure: { maxConsecutiveFailures: 1, onExhausted: 'fail' },
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(1, 2);
    const out = m.send({ type: 'loadFailed', slot: 0, tenure: 1, error: boom });
    expect(out.map((c) => c.type)).toEqual(['stop', 'error', 'fatal', 'stop', 'closed']);
    expect(ofType(out, 'fatal')).toEqual([
      { type: 'fatal', patient: 'p0', failures: 1, cause: boom },
    ]);
    expect(ofType(out, 'closed')).toEqual([{ type: 'closed', reason: 'fatal', dropped: 2 }]);
    expect(m.state.closed).toBe(true);
  });

  it('a failing patient does not block the others', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 2,
      failure: { backoffMs: 0, maxConsecutiveFailures: 100 },
    });
    m.send({ type: 'start' });
    for (let round = 0; round < 20; round++) {
      for (const s of m.state.slots) {
        if (s.phase !== 'loading') continue;
        if (s.patient === 'p0')
          m.send({ type: 'loadFailed', slot: s.index, tenure: s.tenure, error: boom });
        else m.serve(s.index, 1);
      }
      m.send({ type: 'pull', count: 10 });
      m.tick(10);
    }
    expect(m.state.patients[0]!.delivered).toBe(0);
    expect(m.state.patients[1]!.delivered + m.state.patients[2]!.delivered).toBeGreaterThanOrEqual(
      2,
    );
    expect(activePatients(m.state).filter((p) => p !== 'p0').length).toBeGreaterThanOrEqual(1);
  });
});

describe('messages and checkpoints', () => {
  it('delivers a message at once to a loading or collecting patient, else queues it for its next load', () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    expect(m.send({ type: 'message', patient: 'p0', payload: 'now' })).toEqual([
      { type: 'deliverMessage', slot: 0, tenure: 1, patient: 'p0', payload: 'now' },
    ]);
    expect(m.send({ type: 'message', patient: 'p1', payload: 'later' })).toEqual([]);
    m.send({ type: 'message', patient: 'p1', payload: 'later still' });
    m.serve(0, 1);
    expect(ofType(m.tick(100), 'load')).toMatchObject([
      { patient: 'p1', messages: ['later', 'later still'], lastMessage: 'later still' },
    ]);
    expect(m.state.patients[1]!.messages).toEqual([]);
    expect(m.state.counters.messagesDelivered).toBe(3);
  });

  it('keeps at most maxPendingMessages per patient, dropping the oldest and counting them', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1, maxPendingMessages: 2 });
    for (const payload of [1, 2, 3, 4]) m.send({ type: 'message', patient: 'p1', payload });
    expect(m.state.patients[1]!.messages).toEqual([3, 4]);
    expect(m.state.counters.messagesDropped).toBe(2);
  });

  it('hands a checkpoint to later loads; a tenure that sets nothing keeps the old one; stale ones are ignored', () => {
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 100,
      policy: 'round-robin',
    });
    m.send({ type: 'start' });
    m.serve(0, 1);
    m.send({ type: 'checkpoint', slot: 0, tenure: 1, value: { row: 7 } });
    expect(
      ofType(m.send({ type: 'collectorFinished', slot: 0, tenure: 1 }), 'load')[0]!.checkpoint,
    ).toEqual({ row: 7 });
    m.serve(0, 1);
    m.tick(100); // p1 in
    m.send({ type: 'checkpoint', slot: 0, tenure: 1, value: 'stale' });
    expect(m.state.counters.ignoredEvents).toBe(1);
    m.serve(0, 1);
    expect(ofType(m.tick(100), 'load')).toMatchObject([{ patient: 'p0', checkpoint: { row: 7 } }]);
  });
});

describe('close', () => {
  it('stops every tenure, drops what is buffered, and ignores everything afterwards', () => {
    const m = new Machine({ patients: ids(3), numBigChunkLoaders: 2, maxLengthQueueLightDL: 2 });
    m.send({ type: 'start' });
    m.serve(0, 3);
    const out = m.send({ type: 'close' });
    expect(out).toEqual([
      {
        type: 'stop',
        slot: 0,
        tenure: 1,
        patient: m.state.patients.find((p) => p.dropped === 3)!.id,
        reason: 'close',
        disposition: 'discard',
        discarded: 1,
      },
      {
        type: 'stop',
        slot: 1,
        tenure: 2,
        patient: expect.any(String) as string,
        reason: 'close',
        disposition: 'discard',
        discarded: 0,
      },
      { type: 'closed', reason: 'close', dropped: 3 },
    ]);
    expect(m.state.counters.dropped.close).toBe(3);
    expect(m.state.slots.every((s) => s.phase === 'empty' && s.credit === 0)).toBe(true);
    const closed = m.state;
    expect(step(closed, { type: 'loadSucceeded', now: 1e9, slot: 1, tenure: 2 })).toEqual({
      state: closed,
      commands: [],
    });
    expect(step(closed, { type: 'tick', now: -5 }).state).toBe(closed);
  });
});

describe('policies', () => {
  it("'pydmed' admits every never-scheduled patient before scheduling anyone twice", () => {
    const m = new Machine({
      patients: ids(7),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 10,
      seed: 17,
    });
    const admitted = ofType(m.send({ type: 'start' }), 'load').map((l) => l.patient);
    while (admitted.length < 7) {
      for (const s of m.state.slots) if (s.phase === 'loading') m.serve(s.index, 1);
      admitted.push(...ofType(m.tick(10), 'load').map((l) => l.patient));
    }
    expect(new Set(admitted).size).toBe(7);
  });

  it("'round-robin' visits patients in turn", () => {
    const m = new Machine({
      patients: ids(5),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 10,
      policy: 'round-robin',
    });
    const admitted = ofType(m.send({ type: 'start' }), 'load').map((l) => l.patient);
    const evicted: string[] = [];
    while (admitted.length < 12) {
      for (const s of m.state.slots) if (s.phase === 'loading') m.serve(s.index, 1);
      const out = m.tick(10);
      admitted.push(...ofType(out, 'load').map((l) => l.patient));
      evicted.push(...ofType(out, 'stop').map((s) => s.patient));
    }
    expect(admitted).toEqual([
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p0',
      'p1',
      'p2',
      'p3',
      'p4',
      'p0',
      'p1',
    ]);
    expect(evicted.slice(0, 5)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });

  it("'weighted' keeps a patient whose weight calls for more than one slot's share always active", () => {
    const patients = [{ id: 'big', weight: 100 }, ...ids(4)];
    const m = new Machine({
      patients,
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 10,
      policy: 'weighted',
      seed: 1,
    });
    m.send({ type: 'start' });
    for (let i = 0; i < 200; i++) {
      for (const s of m.state.slots) if (s.phase === 'loading') m.serve(s.index, 1);
      m.tick(10);
      expect(activePatients(m.state)).toContain('big');
    }
    expect(m.state.counters.swaps).toBeGreaterThan(50);
  });

  it('a custom policy decides fills and swaps, draws randomness from view.random, and may skip a swap', () => {
    const views: PolicyView[] = [];
    const policy: CustomSchedulerPolicy = (view) => {
      views.push(view);
      const last = view.waiting.at(-1)!.id;
      if (view.mode === 'fill') return { admit: last };
      return view.random() < 0.5 ? null : { evict: view.active[0]!.id, admit: last };
    };
    const m = new Machine({
      patients: ids(4),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 10,
      policy,
      seed: 2,
    });
    expect(ofType(m.send({ type: 'start' }), 'load')[0]!.patient).toBe('p3');
    for (let i = 0; i < 20; i++) {
      for (const s of m.state.slots) if (s.phase === 'loading') m.serve(s.index, 1);
      m.tick(10);
    }
    expect(views[0]).toMatchObject({
      mode: 'fill',
      active: [],
      waiting: [{ id: 'p0' }, { id: 'p1' }, { id: 'p2' }, { id: 'p3' }],
    });
    const swaps = views.filter((v) => v.mode === 'swap');
    expect(swaps).toHaveLength(20);
    expect(m.state.counters.swaps).toBeGreaterThan(0);
    expect(m.state.counters.swapsSkipped).toBe(20 - m.state.counters.swaps);
    expect(swaps[0]!.active).toMatchObject([
      { id: 'p3', timesScheduled: 1, slot: 0, delivered: 0 },
    ]);
  });

  it('rejects a custom policy answer that does not name a waiting or active patient', () => {
    const cases: [CustomSchedulerPolicy, string][] = [
      [
        () => ({ admit: 'nobody' }),
        'Expected `policy(view).admit` to be the id of a patient in `view.waiting`, got `"nobody"` (string)',
      ],
      [() => null, 'Expected `policy(view)` to be `{ admit }`, got `null` (null)'],
      [
        (v) => ({ evict: 'p0', admit: v.waiting[0]!.id }),
        'Expected `policy(view).evict` to be undefined in \'fill\' mode, got `"p0"` (string)',
      ],
    ];
    for (const [policy, message] of cases) {
      const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1, policy });
      expect(() => m.send({ type: 'start' })).toThrow(new TypeError(message));
    }
    const swapper: CustomSchedulerPolicy = (v) =>
      v.mode === 'fill' ? { admit: v.waiting[0]!.id } : { evict: 'p1', admit: 'p1' };
    const m = new Machine({
      patients: ids(2),
      numBigChunkLoaders: 1,
      policy: swapper,
      rescheduleIntervalMs: 10,
    });
    m.send({ type: 'start' });
    m.serve(0, 1);
    const before = m.state;
    expect(() => m.tick(10)).toThrow(
      new TypeError(
        'Expected `policy(view).evict` to be the id of a patient in `view.active`, got `"p1"` (string)',
      ),
    );
    expect(m.state).toBe(before);
  });
});

describe('misuse', () => {
  const started = (): Machine => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1 });
    m.send({ type: 'start', now: 10 });
    return m;
  };

  it.each([
    [
      { type: 'nap', now: 10 },
      TypeError,
      "Expected `event.type` to be one of 'start', 'tick', 'loadSucceeded', 'loadFailed', 'workerExited', 'chunkProduced', 'collectorFinished', 'collectorFailed', 'pull', 'message', 'checkpoint', 'close', got `\"nap\"` (string)",
    ],
    [
      { type: 'tick', now: 'soon' },
      TypeError,
      'Expected `event.now` to be a number, got `"soon"` (string)',
    ],
    [
      { type: 'tick', now: 9 },
      RangeError,
      "Expected `event.now` to be ≥ the previous event's time 10, got `9` (number)",
    ],
    [
      { type: 'loadSucceeded', now: 10, slot: 1, tenure: 1 },
      RangeError,
      'Expected `event.slot` to be an integer between 0 and 0, got `1` (number)',
    ],
    [
      { type: 'loadSucceeded', now: 10, slot: 0, tenure: 2 },
      RangeError,
      'Expected `event.tenure` to be a tenure issued to slot 0 (at most 1), got `2` (number)',
    ],
    [
      { type: 'loadFailed', now: 10, slot: 0, tenure: 1, error: 'bad' },
      TypeError,
      'Expected `event.error` to be an object with string `code` and `message`, got `"bad"` (string)',
    ],
    [
      { type: 'pull', now: 10, count: -1 },
      RangeError,
      'Expected `event.count` to be an integer ≥ 0, got `-1` (number)',
    ],
    [
      { type: 'chunkProduced', now: 10, slot: 0, tenure: 1, count: 0 },
      RangeError,
      'Expected `event.count` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      { type: 'message', now: 10, patient: 'p9', payload: 1 },
      RangeError,
      'Expected `event.patient` to be the id of a known patient, got `"p9"` (string)',
    ],
  ])('rejects %j', (event, kind, message) => {
    const m = started();
    expect(() => step(m.state, event as never)).toThrow(new kind(message));
  });

  it('rejects more small chunks than the outstanding credit', () => {
    const m = new Machine({ patients: ids(1), numBigChunkLoaders: 1, maxLengthQueueSmallChunk: 4 });
    m.send({ type: 'start' });
    m.serve(0);
    expect(() => m.send({ type: 'chunkProduced', slot: 0, tenure: 1, count: 5 })).toThrow(
      new RangeError(
        "Expected `event.count` to be within the slot's outstanding credit (at most 4), got `5` (number)",
      ),
    );
  });

  it('ignores well-formed events that arrive too late, counting them', () => {
    const m = started();
    const before = m.state;
    const out = m.send({ type: 'collectorFinished', slot: 0, tenure: 1 }); // slot 0 is still loading
    expect(out).toEqual([]);
    expect(m.state.counters.ignoredEvents).toBe(before.counters.ignoredEvents + 1);
    expect(m.state.slots).toBe(before.slots);
  });
});
