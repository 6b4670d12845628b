import { describe, expect, it } from 'vitest';
import { inFlightLoads } from '../../src/scheduler/in-flight-loads.js';
import { ids, Machine } from './support/machine.js';

describe('inFlightLoads', () => {
  it('counts the slots whose load is in flight, never above maxInFlight', () => {
    const m = new Machine({ patients: ids(5), numBigChunkLoaders: 4, maxInFlight: 3 });
    expect(inFlightLoads(m.state)).toBe(0);
    m.send({ type: 'start' });
    expect(inFlightLoads(m.state)).toBe(3);
    m.serve(0);
    expect(inFlightLoads(m.state)).toBe(3); // slot 3 took the freed place
    m.serve(1);
    m.serve(2);
    expect(inFlightLoads(m.state)).toBe(1);
    m.send({ type: 'close' });
    expect(inFlightLoads(m.state)).toBe(0);
  });
});
