import { from } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { CountingSource, drive, listeners, numRuns, settle } from './fakes.js';

/** An async generator that yields 0, then waits for `gate` before yielding 1. */
function gated(): { items: AsyncGenerator<number>; open: () => void; log: string[] } {
  const log: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  async function* items(): AsyncGenerator<number> {
    try {
      yield 0;
      await gate;
      log.push('after gate');
      yield 1;
    } finally {
      log.push('finally');
    }
  }
  return { items: items(), open, log };
}

describe('fromAsyncIterable', () => {
  it('pulls only against credit, in order, whatever the grant timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 }),
        async (s, n, grants) => {
          const source = new CountingSource(n, () => s.schedule(Promise.resolve(), 'produce'));
          const seen: number[] = [];
          let completed = false;
          let granted = 0;
          const check = (): void => {
            expect(source.pulled).toBeLessThanOrEqual(granted);
            expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
          };
          const sub = fromAsyncIterable(source.items()).subscribeWithDemand({
            next: (v) => {
              seen.push(v);
              check();
            },
            complete: () => (completed = true),
          });
          for (const g of grants) {
            void s.schedule(Promise.resolve(), `grant ${g}`).then(() => {
              granted += g;
              sub.request(g);
            });
          }
          await drive(s, check);
          const total = grants.reduce((a, b) => a + b, 0);
          expect(seen).toHaveLength(Math.min(n, total));
          // Completion is discovered by a pull, so it needs one unit of credit past the items.
          expect(completed).toBe(total > n);
          sub.unsubscribe();
          await drive(s);
          if (source.pulled > 0) expect(source.finalized).toBe(true);
        },
      ),
      { numRuns },
    );
  });

  it('runs an async generator’s finally as soon as it is unsubscribed, unlike RxJS from()', async () => {
    const ours = gated();
    const sub = fromAsyncIterable(ours.items).subscribeWithDemand(() => {});
    sub.request(1);
    await settle();
    sub.unsubscribe();
    await settle();
    expect(ours.log).toEqual(['finally']);

    // RxJS from() pulls again at once, so a later unsubscribe finds a next() pending.
    const theirs = gated();
    const rx = from(theirs.items).subscribe(() => {});
    await settle();
    rx.unsubscribe();
    await settle();
    expect(theirs.log).toEqual([]); // stuck until the generator's next value arrives
    theirs.open();
    await settle();
    expect(theirs.log).toEqual(['after gate', 'finally']);
  });

  it('calls return() at once when a pull is pending: finally runs when that step settles', async () => {
    const g = gated();
    const seen: number[] = [];
    const sub = fromAsyncIterable(g.items).subscribeWithDemand((v) => seen.push(v));
    sub.request(2);
    await settle();
    expect(seen).toEqual([0]);
    sub.unsubscribe();
    g.open();
    await settle();
    expect(g.log).toEqual(['after gate', 'finally']);
    expect(seen).toEqual([0]); // the value of the pending step is discarded
  });

  it('does not call return() after the iterator finished or threw', async () => {
    let returns = 0;
    const iterable = (fail: boolean): AsyncIterable<number> => ({
      [Symbol.asyncIterator]: () => ({
        next: () =>
          fail
            ? Promise.reject(new Error('read failed'))
            : Promise.resolve({ done: true, value: undefined }),
        return: () => {
          returns += 1;
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    });
    let completed = false;
    fromAsyncIterable(iterable(false)).subscribe({ complete: () => (completed = true) });
    let error: unknown;
    fromAsyncIterable(iterable(true)).subscribe({ error: (e: unknown) => (error = e) });
    await settle();
    expect(completed).toBe(true);
    expect((error as Error).message).toBe('read failed');
    expect(returns).toBe(0);
  });

  it('ignores a return() that rejects', async () => {
    const iterable: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: false, value: 1 }),
        return: () => Promise.reject(new Error('cleanup failed')),
      }),
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const sub = fromAsyncIterable(iterable).subscribeWithDemand(() => {});
      sub.request(1);
      await settle();
      sub.unsubscribe();
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('pulls sync iterables lazily too', () => {
    let pulled = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield i;
      }
    }
    const seen: number[] = [];
    const sub = fromAsyncIterable(items()).subscribeWithDemand((v) => seen.push(v));
    sub.request(3);
    expect(seen).toEqual([0, 1, 2]);
    expect(pulled).toBe(3);
    sub.unsubscribe();
  });

  it('pulls back to back under a plain subscribe, one next() at a time', async () => {
    const source = new CountingSource(50);
    const seen: number[] = [];
    let completed = false;
    fromAsyncIterable(source.items()).subscribe({
      next: (v) => seen.push(v),
      complete: () => (completed = true),
    });
    await settle();
    expect(seen).toHaveLength(50);
    expect(completed).toBe(true);
    expect(source.finalized).toBe(true);
  });

  it('rejects what is not iterable', () => {
    expect(() => fromAsyncIterable(42 as never)).toThrow(
      new TypeError('Expected `iterable` to be an AsyncIterable or an Iterable, got `42` (number)'),
    );
  });

  describe('abort', () => {
    it('fails at subscribe with the reason when already aborted, without touching the iterable', () => {
      let opened = 0;
      const iterable: AsyncIterable<number> = {
        [Symbol.asyncIterator]: () => {
          opened += 1;
          return { next: () => Promise.resolve({ done: true, value: undefined }) };
        },
      };
      const reason = { why: 'stop' };
      const controller = new AbortController();
      controller.abort(reason);
      let error: unknown;
      fromAsyncIterable(iterable, { signal: controller.signal }).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBe(reason);
      expect(opened).toBe(0);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('fails with the reason and finalises the generator when aborted while paused', async () => {
      const controller = new AbortController();
      const source = new CountingSource(Infinity);
      let error: unknown;
      const sub = fromAsyncIterable(source.items(), {
        signal: controller.signal,
      }).subscribeWithDemand({
        error: (e: unknown) => (error = e),
      });
      sub.request(2);
      await settle();
      expect(listeners(controller.signal)).toBe(1);
      const reason = new Error('enough');
      controller.abort(reason);
      await settle();
      expect(error).toBe(reason);
      expect(source.finalized).toBe(true);
      expect(source.pulled).toBe(2);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('fails with the reason when aborted while a pull is pending', async () => {
      const controller = new AbortController();
      const g = gated();
      let error: unknown;
      const sub = fromAsyncIterable(g.items, { signal: controller.signal }).subscribeWithDemand({
        error: (e: unknown) => (error = e),
      });
      sub.request(2);
      await settle();
      controller.abort('reason string');
      expect(error).toBe('reason string');
      g.open();
      await settle();
      expect(g.log).toEqual(['after gate', 'finally']);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('removes its listener on completion and on unsubscribe', async () => {
      const controller = new AbortController();
      fromAsyncIterable([1, 2], { signal: controller.signal }).subscribe(() => {});
      expect(listeners(controller.signal)).toBe(0);
      const sub = fromAsyncIterable(new CountingSource(Infinity).items(), {
        signal: controller.signal,
      }).subscribeWithDemand(() => {});
      expect(listeners(controller.signal)).toBe(1);
      sub.unsubscribe();
      await settle();
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
