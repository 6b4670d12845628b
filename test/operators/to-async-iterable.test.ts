import { Subject, interval, take } from 'rxjs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { batch } from '../../src/operators/batch.js';
import { boundedQueue } from '../../src/operators/bounded-queue.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { mapInPool } from '../../src/operators/map-in-pool.js';
import { toAsyncIterable } from '../../src/operators/to-async-iterable.js';
import type { JobRunner, JobRunOptions } from '../../src/pool/job-runner.js';
import { CountingSource, drive, listeners, numRuns, settle } from './fakes.js';

/** Jobs that take `duration(input)` ms of (fake) timer time; an abort clears the timer. */
class TimerRunner implements JobRunner<number, number> {
  live = 0;
  readonly #duration: (input: number) => number;
  constructor(duration: (input: number) => number) {
    this.#duration = duration;
  }
  run(input: number, { signal }: JobRunOptions = {}): Promise<number> {
    this.live += 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        this.live -= 1;
        resolve(input);
      }, this.#duration(input));
      const onAbort = (): void => {
        clearTimeout(timer);
        this.live -= 1;
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

describe('toAsyncIterable', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks a demand-aware source for no more than the high-water mark, in order, with concurrent next() calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 10 }),
        fc.boolean(),
        async (s, highWaterMark, n, plan, stopEarly) => {
          const controller = new AbortController();
          const source = new CountingSource(n, () => s.schedule(Promise.resolve(), 'produce'));
          const it = toAsyncIterable(fromAsyncIterable(source.items()), {
            highWaterMark,
            signal: controller.signal,
          });
          const seen: number[] = [];
          let done = false;
          const check = (): void => {
            const stats = it.stats();
            expect(stats.buffered).toBeLessThanOrEqual(highWaterMark);
            expect(source.pulled - stats.delivered).toBeLessThanOrEqual(highWaterMark);
            expect(stats.received).toBe(stats.delivered + stats.buffered + stats.dropped);
          };
          const consume = async (): Promise<void> => {
            for (const calls of plan) {
              await s.schedule(Promise.resolve(), `next ×${calls}`);
              const results = await Promise.all(Array.from({ length: calls }, () => it.next()));
              for (const r of results) {
                if (r.done === true) done = true;
                else {
                  expect(done).toBe(false); // nothing after done
                  seen.push(r.value);
                }
              }
              expect(seen).toEqual(seen.map((_, i) => i));
              check();
            }
            if (stopEarly) await it.return();
          };
          const consumer = consume();
          await drive(s, check);
          await consumer;
          const calls = plan.reduce((a, b) => a + b, 0);
          expect(seen).toHaveLength(Math.min(n, calls));
          if (calls > n) expect(done).toBe(true);
          if (stopEarly || done) {
            await drive(s);
            expect(listeners(controller.signal)).toBe(0);
            expect(it.stats().buffered).toBe(0);
            if (source.pulled > 0) expect(source.finalized).toBe(true);
          }
          await it.return();
          await drive(s);
        },
      ),
      { numRuns },
    );
  });

  it('leaves no job, timer or listener behind after a break at any point of a pipeline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (breakAt, durations, concurrency, ordered) => {
          const controller = new AbortController();
          const source = new CountingSource(Infinity);
          const runner = new TimerRunner((x) => durations[x % durations.length]!);
          const { signal } = controller;
          const pipeline = batch<number>(2, { signal })(
            mapInPool(runner, { concurrency, ordered, signal })(
              boundedQueue<number>(3, { signal })(fromAsyncIterable(source.items(), { signal })),
            ),
          );
          let batches = 0;
          let finished = false;
          const loop = (async () => {
            for await (const _ of toAsyncIterable(pipeline, { highWaterMark: 2, signal })) {
              batches += 1;
              if (batches > breakAt) break;
            }
          })().finally(() => (finished = true));
          while (!finished) await vi.advanceTimersByTimeAsync(1);
          await loop;
          await settle();
          expect(batches).toBe(breakAt + 1);
          expect(runner.live).toBe(0);
          expect(vi.getTimerCount()).toBe(0);
          expect(listeners(signal)).toBe(0);
          expect(source.finalized).toBe(true);
        },
      ),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('subscribes on the first next() and prefetches up to the high-water mark', async () => {
    const source = new CountingSource(100);
    const it = toAsyncIterable(fromAsyncIterable(source.items()), { highWaterMark: 3 });
    await settle();
    expect(source.pulled).toBe(0);
    expect(await it.next()).toEqual({ done: false, value: 0 });
    await settle();
    expect(source.pulled).toBe(4);
    expect(it.stats()).toMatchObject({ buffered: 3, delivered: 1, requested: 4 });
    await it.return();
    await settle();
    expect(source.finalized).toBe(true);
    expect(it.stats()).toMatchObject({ buffered: 0, dropped: 3 });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('tears the whole chain down on break', async () => {
    const source = new CountingSource(Infinity);
    const queue = boundedQueue<number>(4);
    let seen = 0;
    for await (const _ of toAsyncIterable(queue(fromAsyncIterable(source.items())))) {
      if (++seen === 3) break;
    }
    await settle();
    expect(source.finalized).toBe(true);
    expect(queue.stats().buffered).toBe(0);
  });

  it('serves concurrent next() calls in call order', async () => {
    const subject = new Subject<number>();
    const it = toAsyncIterable(subject);
    const pending = [it.next(), it.next(), it.next()];
    expect(it.stats().waiting).toBe(3);
    subject.next(1);
    subject.next(2);
    subject.complete();
    expect(await Promise.all(pending)).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: true, value: undefined },
    ]);
  });

  it('delivers completion after the held items', async () => {
    const values: number[] = [];
    for await (const v of toAsyncIterable(interval(0).pipe(take(3)))) values.push(v);
    expect(values).toEqual([0, 1, 2]);
  });

  it('fails a plain Observable that overruns the high-water mark with QueueOverflowError', async () => {
    const subject = new Subject<number>();
    const it = toAsyncIterable(subject, { highWaterMark: 2 });
    await Promise.all([it.next(), Promise.resolve(subject.next(0))]);
    subject.next(1);
    subject.next(2);
    expect(subject.observed).toBe(true);
    subject.next(3);
    expect(subject.observed).toBe(false);
    await expect(it.next()).rejects.toBeInstanceOf(QueueOverflowError);
    expect(it.stats()).toMatchObject({ received: 4, delivered: 1, dropped: 3, buffered: 0 });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('lets an error cut ahead of the held items', async () => {
    const subject = new Subject<number>();
    const it = toAsyncIterable(subject);
    const first = it.next();
    subject.next(1);
    await first;
    subject.next(2);
    subject.error(new Error('source failed'));
    await expect(it.next()).rejects.toThrow('source failed');
    expect(it.stats().dropped).toBe(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('settles waiting next() calls with done on return()', async () => {
    const subject = new Subject<number>();
    const it = toAsyncIterable(subject);
    const pending = it.next();
    expect(subject.observed).toBe(true);
    await it.return();
    expect(subject.observed).toBe(false);
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('validates its arguments with the house message', () => {
    expect(() => toAsyncIterable([1] as never)).toThrow(
      new TypeError('Expected `source` to be an Observable, got `[1]` (array)'),
    );
    expect(() => toAsyncIterable(new Subject(), { highWaterMark: 0 })).toThrow(
      new RangeError('Expected `highWaterMark` to be an integer ≥ 1, got `0` (number)'),
    );
  });

  it('returns frozen stats', () => {
    expect(Object.isFrozen(toAsyncIterable(new Subject()).stats())).toBe(true);
  });

  describe('abort', () => {
    it('rejects the first next() with the reason when already aborted, without subscribing', async () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      controller.abort(reason);
      const subject = new Subject<number>();
      const it = toAsyncIterable(subject, { signal: controller.signal });
      await expect(it.next()).rejects.toBe(reason);
      expect(subject.observed).toBe(false);
      expect(listeners(controller.signal)).toBe(0);
      expect(await it.next()).toEqual({ done: true, value: undefined });
    });

    it('rejects a waiting next() with the reason', async () => {
      const controller = new AbortController();
      const subject = new Subject<number>();
      const it = toAsyncIterable(subject, { signal: controller.signal });
      const pending = it.next();
      expect(listeners(controller.signal)).toBe(1);
      const reason = { why: 'epoch over' };
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      expect(subject.observed).toBe(false);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('drops held items and rejects the next next() when aborted while buffered', async () => {
      const controller = new AbortController();
      const source = new CountingSource(Infinity);
      const it = toAsyncIterable(fromAsyncIterable(source.items()), {
        highWaterMark: 4,
        signal: controller.signal,
      });
      await it.next();
      await settle();
      expect(it.stats().buffered).toBe(4);
      controller.abort('stop');
      await expect(it.next()).rejects.toBe('stop');
      await settle();
      expect(it.stats()).toMatchObject({ buffered: 0, dropped: 4 });
      expect(source.finalized).toBe(true);
    });

    it('removes its listener on completion and on return()', async () => {
      const controller = new AbortController();
      const values: number[] = [];
      for await (const v of toAsyncIterable(fromAsyncIterable([1, 2]), {
        signal: controller.signal,
      })) {
        values.push(v);
      }
      expect(values).toEqual([1, 2]);
      expect(listeners(controller.signal)).toBe(0);
      const it = toAsyncIterable(new Subject(), { signal: controller.signal });
      void it.next();
      expect(listeners(controller.signal)).toBe(1);
      await it.return();
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
