import { describe, expect, it } from 'vitest';
import { activePatients } from '../../src/scheduler/active-patients.js';
import { ids, Machine } from './support/machine.js';

describe('activePatients', () => {
  it('lists the tenant of every occupied slot, in slot order, from admission until the tenure ends', () => {
    const m = new Machine({
      patients: ids(4),
      numBigChunkLoaders: 2,
      policy: 'round-robin',
      rescheduleIntervalMs: 100,
    });
    expect(activePatients(m.state)).toEqual([]);
    m.send({ type: 'start' });
    expect(activePatients(m.state)).toEqual(['p0', 'p1']);
    m.serve(0, 1);
    m.serve(1, 1);
    m.tick(100);
    expect(activePatients(m.state)).toEqual(['p2', 'p1']);
    m.send({ type: 'collectorFailed', slot: 1, tenure: 2, error: { code: 'E', message: 'm' } });
    expect(activePatients(m.state)).toEqual(['p2', 'p3']);
    m.send({ type: 'close' });
    expect(activePatients(m.state)).toEqual([]);
  });
});
