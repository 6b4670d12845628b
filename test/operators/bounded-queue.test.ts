import { Subject, map, of } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { boundedQueue } from '../../src/operators/bounded-queue.js';
import { Flowable } from '../../src/operators/flowable.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { CountingSource, drive, listeners, numRuns, settle } from './fakes.js';

describe('boundedQueue', () => {
  it('never holds or reads ahead more than its capacity, and delivers each item once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 25 }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant('stop' as const)), {
          maxLength: 15,
        }),
        async (s, capacity, n, actions) => {
          const source = new CountingSource(n, () => s.schedule(Promise.resolve(), 'produce'));
          const queue = boundedQueue<number>(capacity);
          const seen: number[] = [];
          let completed = false;
          const check = (): void => {
            const stats = queue.stats();
            expect(stats.buffered).toBeLessThanOrEqual(capacity);
            expect(source.pulled - seen.length).toBeLessThanOrEqual(capacity);
            expect(stats.received).toBe(stats.delivered + stats.buffered + stats.dropped);
            expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
          };
          const sub = queue(fromAsyncIterable(source.items())).subscribeWithDemand({
            next: (v) => {
              seen.push(v);
              check();
            },
            complete: () => (completed = true),
          });
          let stopped = false;
          for (const action of actions) {
            void s.schedule(Promise.resolve(), String(action)).then(() => {
              if (action === 'stop') {
                stopped = true;
                sub.unsubscribe();
              } else sub.request(action);
            });
          }
          await drive(s, check);
          const stats = queue.stats();
          expect(stats.maxBuffered).toBeLessThanOrEqual(capacity);
          if (stopped) {
            expect(stats.buffered).toBe(0);
            if (source.pulled > 0) expect(source.finalized).toBe(true);
          } else if (completed) {
            expect(seen).toHaveLength(n);
            expect(stats.dropped).toBe(0);
          } else {
            // Not finished: the queue is full or the consumer has no credit left.
            expect(stats.buffered === capacity || sub.credit === 0).toBe(true);
          }
          sub.unsubscribe();
          await drive(s);
        },
      ),
      { numRuns },
    );
  });

  it('pauses a demand-aware producer while full and resumes as items are taken', async () => {
    const source = new CountingSource(100);
    const queue = boundedQueue<number>(3);
    const seen: number[] = [];
    const sub = queue(fromAsyncIterable(source.items())).subscribeWithDemand((v) => seen.push(v));
    await settle();
    expect(source.pulled).toBe(3);
    expect(queue.stats()).toMatchObject({ buffered: 3, requested: 3, delivered: 0 });
    sub.request(2);
    await settle();
    expect(seen).toEqual([0, 1]);
    expect(source.pulled).toBe(5);
    expect(queue.stats().buffered).toBe(3);
    sub.unsubscribe();
    await settle();
    expect(source.finalized).toBe(true);
    expect(queue.stats()).toMatchObject({ buffered: 0, dropped: 3, received: 5, delivered: 2 });
  });

  it('delivers completion after the last held item', async () => {
    const queue = boundedQueue<number>(4);
    const events: string[] = [];
    const sub = queue(fromAsyncIterable([1, 2])).subscribeWithDemand({
      next: (v) => events.push(`next ${v}`),
      complete: () => events.push('complete'),
    });
    await settle();
    expect(events).toEqual([]);
    sub.request(1);
    expect(events).toEqual(['next 1']);
    sub.request(1);
    expect(events).toEqual(['next 1', 'next 2', 'complete']);
  });

  it('delivers an upstream error at once, dropping what it holds', () => {
    const subject = new Subject<number>();
    const queue = boundedQueue<number>(4, { overflow: 'error' });
    let error: unknown;
    queue(subject).subscribeWithDemand({ error: (e: unknown) => (error = e) });
    subject.next(1);
    subject.next(2);
    subject.error(new Error('upstream failed'));
    expect((error as Error).message).toBe('upstream failed');
    expect(queue.stats()).toMatchObject({ received: 2, buffered: 0, dropped: 2 });
  });

  it('fails with QueueOverflowError when overrun in error mode', async () => {
    const source = new CountingSource(100);
    const queue = boundedQueue<number>(2, { overflow: 'error' });
    let error: unknown;
    queue(fromAsyncIterable(source.items())).subscribeWithDemand({
      error: (e: unknown) => (error = e),
    });
    await settle();
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect((error as QueueOverflowError).code).toBe('ERR_QUEUE_OVERFLOW');
    expect((error as QueueOverflowError).capacity).toBe(2);
    expect(source.pulled).toBe(3);
    expect(source.finalized).toBe(true);
    expect(queue.stats()).toMatchObject({ received: 3, dropped: 3, requested: Infinity });
  });

  it('bounds a plain Observable upstream it cannot pause: overflow fails even in wait mode', () => {
    const subject = new Subject<number>();
    const queue = boundedQueue<number>(2);
    let error: unknown;
    const sub = queue(subject).subscribeWithDemand({ error: (e: unknown) => (error = e) });
    subject.next(1);
    subject.next(2);
    expect(error).toBeUndefined();
    subject.next(3);
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(subject.observed).toBe(false);
    sub.unsubscribe();
  });

  it('passes a plain upstream through while the consumer keeps up', () => {
    const queue = boundedQueue<number>(1);
    const seen: number[] = [];
    of(1, 2, 3, 4)
      .pipe(queue)
      .subscribe((v) => seen.push(v));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('loses backpressure across an ordinary RxJS operator, and says so with an overflow', async () => {
    const source = new CountingSource(100);
    const queue = boundedQueue<number>(4);
    let error: unknown;
    queue(fromAsyncIterable(source.items()).pipe(map((v) => v))).subscribeWithDemand({
      error: (e: unknown) => (error = e),
    });
    await settle();
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(source.pulled).toBe(5);
  });

  it('returns a Flowable and frozen stats', () => {
    const queue = boundedQueue<number>(2);
    expect(queue(of(1))).toBeInstanceOf(Flowable);
    expect(Object.isFrozen(queue.stats())).toBe(true);
  });

  it('validates its arguments with the house message', () => {
    expect(() => boundedQueue(0)).toThrow(
      new RangeError('Expected `capacity` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() => boundedQueue(2, { overflow: 'drop' as never })).toThrow(
      new TypeError("Expected `overflow` to be one of 'wait', 'error', got `\"drop\"` (string)"),
    );
    expect(() => boundedQueue(2, { signal: {} as never })).toThrow(
      new TypeError('Expected `signal` to be an AbortSignal, got `{}` (object)'),
    );
    expect(() => boundedQueue(2)(null as never)).toThrow(
      new TypeError('Expected `source` to be an Observable, got `null` (null)'),
    );
  });

  describe('abort', () => {
    it('fails at subscribe with the reason when already aborted, never subscribing upstream', () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      controller.abort(reason);
      const subject = new Subject<number>();
      let error: unknown;
      boundedQueue<number>(2, { signal: controller.signal })(subject).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBe(reason);
      expect(subject.observed).toBe(false);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('fails with the reason while holding items, dropping them and releasing the source', async () => {
      const controller = new AbortController();
      const source = new CountingSource(Infinity);
      const queue = boundedQueue<number>(3, { signal: controller.signal });
      let error: unknown;
      queue(fromAsyncIterable(source.items())).subscribeWithDemand({
        error: (e: unknown) => (error = e),
      });
      await settle();
      expect(queue.stats().buffered).toBe(3);
      const reason = { code: 'STOP' };
      controller.abort(reason);
      await settle();
      expect(error).toBe(reason);
      expect(queue.stats()).toMatchObject({ buffered: 0, dropped: 3 });
      expect(source.finalized).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('removes its listener on completion and on unsubscribe', async () => {
      const controller = new AbortController();
      const queue = boundedQueue<number>(3, { signal: controller.signal });
      fromAsyncIterable([1, 2]).pipe(queue).subscribe();
      await settle();
      expect(listeners(controller.signal)).toBe(0);
      const sub = new Subject<number>().pipe(queue).subscribe();
      expect(listeners(controller.signal)).toBe(1);
      sub.unsubscribe();
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
