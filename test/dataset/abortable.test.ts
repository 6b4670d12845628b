import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { raceAbort } from '../../src/dataset/abortable.js';

describe('raceAbort', () => {
  it('settles like the promise when there is no signal or no abort, and removes its listener', async () => {
    await expect(raceAbort(Promise.resolve(1), undefined)).resolves.toBe(1);
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(2), controller.signal)).resolves.toBe(2);
    await expect(raceAbort(Promise.reject(new Error('x')), controller.signal)).rejects.toThrow('x');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason at once, even if the work rejects later', async () => {
    const controller = new AbortController();
    let fail: (e: Error) => void = () => {};
    const work = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const raced = raceAbort(work, controller.signal);
    controller.abort('why');
    await expect(raced).rejects.toBe('why');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    fail(new Error('late')); // must not surface as an unhandled rejection
    await Promise.resolve();
  });

  it('rejects with the reason of an already aborted signal', async () => {
    await expect(raceAbort(new Promise(() => {}), AbortSignal.abort(42))).rejects.toBe(42);
  });
});
