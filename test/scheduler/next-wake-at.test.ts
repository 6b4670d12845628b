import { describe, expect, it } from 'vitest';
import { nextWakeAt } from '../../src/scheduler/next-wake-at.js';
import { ids, Machine } from './support/machine.js';

describe('nextWakeAt', () => {
  it('is undefined before start, after close, and when nothing is planned', () => {
    const m = new Machine({ patients: ids(2), rescheduleIntervalMs: Infinity });
    expect(nextWakeAt(m.state)).toBeUndefined();
    m.send({ type: 'start' });
    expect(nextWakeAt(m.state)).toBeUndefined();
    m.send({ type: 'close' });
    expect(nextWakeAt(m.state)).toBeUndefined();
  });

  it('is the next swap, or an earlier end of backoff that would fill a vacant slot', () => {
    const m = new Machine({
      patients: ids(1),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 1000,
      failure: { backoffMs: 300 },
    });
    m.send({ type: 'start', now: 0 });
    expect(nextWakeAt(m.state)).toBe(1000);
    m.send({ type: 'loadFailed', now: 50, slot: 0, tenure: 1, error: { code: 'E', message: 'm' } });
    expect(nextWakeAt(m.state)).toBe(350);
    m.send({ type: 'tick', now: 350 });
    expect(m.state.slots[0]!.phase).toBe('loading');
    expect(nextWakeAt(m.state)).toBe(1000);
  });

  it('leaves out a swap already due but waiting for an evictable patient (an event will bring it)', () => {
    const m = new Machine({ patients: ids(2), numBigChunkLoaders: 1, rescheduleIntervalMs: 100 });
    m.send({ type: 'start', now: 0 });
    m.tick(150); // the tenant is still loading
    expect(m.state.nextSwapAt).toBe(100);
    expect(nextWakeAt(m.state)).toBeUndefined();
  });
});
