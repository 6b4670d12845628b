import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbortShared } from '../../src/internal/abort.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('onAbortShared', () => {
  it('calls every registered callback once, in order, with the reason, through one listener', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const reason = new Error('stop');
    for (const name of ['a', 'b', 'c']) {
      onAbortShared(controller.signal, (r) => calls.push(`${name}:${(r as Error).message}`));
    }
    expect(listeners(controller.signal)).toBe(1);
    controller.abort(reason);
    expect(calls).toEqual(['a:stop', 'b:stop', 'c:stop']);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('removes the listener when the last registration is disposed, and not before', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const first = onAbortShared(controller.signal, () => calls.push(1));
    const second = onAbortShared(controller.signal, () => calls.push(2));
    first();
    first();
    expect(listeners(controller.signal)).toBe(1);
    second();
    expect(listeners(controller.signal)).toBe(0);
    const third = onAbortShared(controller.signal, () => calls.push(3));
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(calls).toEqual([3]);
    third();
    expect(listeners(controller.signal)).toBe(0);
  });

  it('counts the same function registered twice as two registrations', () => {
    const controller = new AbortController();
    let calls = 0;
    const callback = (): void => void calls++;
    const dispose = onAbortShared(controller.signal, callback);
    onAbortShared(controller.signal, callback);
    dispose();
    controller.abort();
    expect(calls).toBe(1);
  });

  it('calls at once for an aborted signal and adds no listener; does nothing without a signal', () => {
    const reason = new Error('already');
    const signal = AbortSignal.abort(reason);
    const seen: unknown[] = [];
    const dispose = onAbortShared(signal, (r) => seen.push(r));
    expect(seen).toEqual([reason]);
    expect(listeners(signal)).toBe(0);
    dispose();
    expect(onAbortShared(undefined, () => seen.push('never'))).toBeTypeOf('function');
    expect(seen).toEqual([reason]);
  });

  it('does not call a registration that an earlier callback disposed of as the signal aborted', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    let disposeB: () => void = () => {};
    onAbortShared(controller.signal, () => {
      calls.push('a');
      disposeB();
    });
    disposeB = onAbortShared(controller.signal, () => calls.push('b'));
    controller.abort();
    expect(calls).toEqual(['a']);
    expect(listeners(controller.signal)).toBe(0);
  });
});
