import { describe, expect, it } from 'vitest';
import { waitingPatients } from '../../src/scheduler/waiting-patients.js';
import { ids, Machine } from './support/machine.js';

describe('waitingPatients', () => {
  it('lists patients that could be admitted now: not active, not backing off, not set aside', () => {
    const m = new Machine({
      patients: ids(4),
      numBigChunkLoaders: 1,
      policy: 'round-robin',
      failure: { backoffMs: 100, maxConsecutiveFailures: 2 },
    });
    expect(waitingPatients(m.state)).toEqual(['p0', 'p1', 'p2', 'p3']);
    m.send({ type: 'start', now: 0 });
    expect(waitingPatients(m.state)).toEqual(['p1', 'p2', 'p3']);
    m.send({ type: 'loadFailed', slot: 0, tenure: 1, error: { code: 'E', message: 'm' } });
    // p0 backs off until t = 100; p1 took the slot.
    expect(waitingPatients(m.state)).toEqual(['p2', 'p3']);
    m.send({ type: 'tick', now: 100 });
    expect(waitingPatients(m.state)).toEqual(['p0', 'p2', 'p3']);
  });
});
