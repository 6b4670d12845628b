import { Subject, of } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { batch } from '../../src/operators/batch.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { CountingSource, drive, listeners, numRuns, settle } from './fakes.js';

describe('batch', () => {
  it('holds at most one batch, keeps order, and accounts for every item', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 23 }),
        fc.boolean(),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant('stop' as const)), {
          maxLength: 12,
        }),
        async (s, size, n, emitPartial, actions) => {
          const source = new CountingSource(n, () => s.schedule(Promise.resolve(), 'produce'));
          const stage = batch<number>(size, { emitPartial });
          const batches: number[][] = [];
          let completed = false;
          const check = (): void => {
            const stats = stage.stats();
            const items = batches.flat();
            expect(stats.buffered).toBeLessThanOrEqual(size);
            expect(source.pulled - items.length).toBeLessThanOrEqual(size);
            expect(stats.received).toBe(stats.delivered + stats.buffered + stats.dropped);
            expect(items).toEqual(items.map((_, i) => i));
          };
          const sub = stage(fromAsyncIterable(source.items())).subscribeWithDemand({
            next: (b) => {
              batches.push(b);
              check();
            },
            complete: () => (completed = true),
          });
          let stopped = false;
          for (const a of actions) {
            void s.schedule(Promise.resolve(), String(a)).then(() => {
              if (a !== 'stop') return sub.request(a);
              stopped = true;
              sub.unsubscribe();
            });
          }
          await drive(s, check);
          const stats = stage.stats();
          for (const b of batches.slice(0, -1)) expect(b).toHaveLength(size);
          if (completed && !stopped) {
            const full = Math.floor(n / size) * size;
            expect(batches.flat()).toHaveLength(emitPartial ? n : full);
            expect(stats.dropped).toBe(emitPartial ? 0 : n - full);
            expect(stats.partial).toBe(emitPartial && n % size !== 0 ? 1 : 0);
          }
          sub.unsubscribe();
          await drive(s);
          expect(stage.stats().buffered).toBe(0);
          if (source.pulled > 0) expect(source.finalized).toBe(true);
        },
      ),
      { numRuns },
    );
  });

  it('emits arrays by default and the last partial batch on completion', () => {
    const seen: number[][] = [];
    fromAsyncIterable([1, 2, 3, 4, 5])
      .pipe(batch(2))
      .subscribe((b) => seen.push(b));
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('drops the partial batch when emitPartial is false, counted', () => {
    const stage = batch<number>(2, { emitPartial: false });
    const seen: number[][] = [];
    stage(fromAsyncIterable([1, 2, 3])).subscribe((b) => seen.push(b));
    expect(seen).toEqual([[1, 2]]);
    expect(stage.stats()).toMatchObject({ batches: 1, delivered: 2, dropped: 1, partial: 0 });
  });

  it('collates each batch with its index', () => {
    const stage = batch(2, {
      collate: (items: number[], index) => `${index}:${items.join('+')}`,
    });
    const seen: string[] = [];
    stage(of(1, 2, 3, 4)).subscribe((b) => seen.push(b));
    expect(seen).toEqual(['0:1+2', '1:3+4']);
  });

  it('asks upstream only for the batch it is filling', async () => {
    const source = new CountingSource(100);
    const stage = batch<number>(4);
    const seen: number[][] = [];
    const sub = stage(fromAsyncIterable(source.items())).subscribeWithDemand((b) => seen.push(b));
    await settle();
    expect(source.pulled).toBe(4);
    expect(seen).toEqual([]);
    sub.request(1);
    await settle();
    expect(seen).toEqual([[0, 1, 2, 3]]);
    expect(source.pulled).toBe(8);
    sub.unsubscribe();
    await settle();
    expect(source.finalized).toBe(true);
    expect(stage.stats()).toMatchObject({ dropped: 4, buffered: 0 });
  });

  it('waits for credit to emit the partial batch', async () => {
    const seen: number[][] = [];
    let completed = false;
    const sub = batch<number>(3)(fromAsyncIterable([1, 2])).subscribeWithDemand({
      next: (b) => seen.push(b),
      complete: () => (completed = true),
    });
    await settle();
    expect(completed).toBe(false);
    sub.request(1);
    expect(seen).toEqual([[1, 2]]);
    expect(completed).toBe(true);
  });

  it('fails when collate throws, counting the batch as dropped', () => {
    const stage = batch(2, {
      collate: (): number => {
        throw new Error('bad batch');
      },
    });
    let error: unknown;
    stage(of(1, 2, 3)).subscribe({ error: (e: unknown) => (error = e) });
    expect((error as Error).message).toBe('bad batch');
    expect(stage.stats()).toMatchObject({ dropped: 2, batches: 0 });
  });

  it('bounds a plain upstream: a full batch waiting for credit plus size more, then overflow', () => {
    const subject = new Subject<number>();
    let error: unknown;
    batch<number>(2)(subject).subscribeWithDemand({ error: (e: unknown) => (error = e) });
    for (let i = 0; i < 4; i++) subject.next(i);
    expect(error).toBeUndefined();
    subject.next(4);
    expect(error).toBeInstanceOf(QueueOverflowError);
  });

  it('validates its arguments with the house message', () => {
    expect(() => batch(0)).toThrow(
      new RangeError('Expected `size` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() => batch(2, { collate: 'sum' as never })).toThrow(
      new TypeError('Expected `collate` to be a function, got `"sum"` (string)'),
    );
    expect(() => batch(2, { emitPartial: 0 as never })).toThrow(
      new TypeError('Expected `emitPartial` to be a boolean, got `0` (number)'),
    );
  });

  describe('abort', () => {
    it('fails at subscribe with the reason when already aborted, never subscribing upstream', () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      controller.abort(reason);
      const subject = new Subject<number>();
      let error: unknown;
      batch<number>(2, { signal: controller.signal })(subject).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBe(reason);
      expect(subject.observed).toBe(false);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('fails with the reason while gathering, dropping the gathered items', async () => {
      const controller = new AbortController();
      const source = new CountingSource(Infinity);
      const stage = batch<number>(3, { signal: controller.signal });
      let error: unknown;
      stage(fromAsyncIterable(source.items())).subscribeWithDemand({
        error: (e: unknown) => (error = e),
      });
      await settle();
      controller.abort('stop');
      await settle();
      expect(error).toBe('stop');
      expect(stage.stats()).toMatchObject({ buffered: 0, dropped: 3 });
      expect(source.finalized).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('removes its listener on completion', () => {
      const controller = new AbortController();
      batch<number>(2, { signal: controller.signal })(of(1, 2, 3)).subscribe();
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
