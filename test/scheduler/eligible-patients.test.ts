import { describe, expect, it } from 'vitest';
import { eligiblePatients } from '../../src/scheduler/eligible-patients.js';
import { ids, Machine } from './support/machine.js';

describe('eligiblePatients', () => {
  it('lists every patient not set aside, active or not, backing off or not', () => {
    const m = new Machine({
      patients: ids(3),
      numBigChunkLoaders: 1,
      policy: 'round-robin',
      failure: { maxConsecutiveFailures: 1 },
    });
    m.send({ type: 'start' });
    expect(eligiblePatients(m.state)).toEqual(['p0', 'p1', 'p2']);
    m.send({ type: 'loadFailed', slot: 0, tenure: 1, error: { code: 'E', message: 'm' } });
    expect(eligiblePatients(m.state)).toEqual(['p1', 'p2']);
  });
});
