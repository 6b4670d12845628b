import { Subject } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { Flowable } from '../../src/operators/flowable.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { roundRobinMerge } from '../../src/operators/round-robin-merge.js';
import type { RoundRobinSourceStats } from '../../src/operators/round-robin-source-stats.js';
import { CountingSource, drive, listeners, numRuns, settle } from './fakes.js';

type Action =
  | { readonly kind: 'request'; readonly n: number }
  | { readonly kind: 'remove'; readonly key: number; readonly policy: 'drain' | 'discard' }
  | { readonly kind: 'add'; readonly n: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'stop' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((n) => ({ kind: 'request', n }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ key: fc.integer({ min: 0, max: 5 }), policy: fc.constantFrom('drain', 'discard') })
      .map((r) => ({ kind: 'remove', ...r }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 8 }).map((n) => ({ kind: 'add', n }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'end' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stop' } as const) },
);

const keyOf = (item: number): number => Math.floor(item / 100);

function byKey(
  sources: readonly RoundRobinSourceStats<number>[],
): Map<number, RoundRobinSourceStats<number>> {
  return new Map(sources.map((s) => [s.key, s]));
}

describe('roundRobinMerge', () => {
  it('bounds every source queue, delivers each item once in source order, and takes turns fairly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(action, { maxLength: 20 }),
        async (s, capacity, sizes, completeWhenEmpty, prefill, actions) => {
          const sources = new Map<number, CountingSource>();
          const sizeOf = new Map<number, number>();
          const open = (key: number, n: number): Flowable<number> => {
            const source = new CountingSource(
              n,
              () => s.schedule(Promise.resolve(), `produce ${key}`),
              key * 100,
            );
            sources.set(key, source);
            sizeOf.set(key, n);
            return fromAsyncIterable(source.items());
          };
          const merged = roundRobinMerge<number, number>(
            sizes.map((n, key) => [key, open(key, n)] as const),
            { capacity, completeWhenEmpty },
          );
          const seen = new Map<number, number[]>();
          const owed = new Map<number, Set<number>>();
          const discarded = new Set<number>();
          let completed = false;
          const check = (): void => {
            for (const stats of merged.stats().sources) {
              expect(stats.buffered).toBeLessThanOrEqual(capacity);
              expect(stats.received).toBe(
                stats.delivered + stats.drained + stats.discarded + stats.buffered,
              );
              const source = sources.get(stats.key)!;
              expect(
                source.pulled - stats.delivered - stats.drained - stats.discarded,
              ).toBeLessThanOrEqual(capacity);
            }
          };
          const sub = merged.subscribeWithDemand({
            next: (item) => {
              const key = keyOf(item);
              const items = seen.get(key) ?? [];
              items.push(item);
              seen.set(key, items);
              expect(items).toEqual(items.map((_, i) => key * 100 + i));
              // Round robin: every other source that held an item when `key` last emitted has
              // emitted since (or was discarded).
              for (const k of discarded) for (const set of owed.values()) set.delete(k);
              expect([...(owed.get(key) ?? [])]).toEqual([]);
              for (const set of owed.values()) set.delete(key);
              const holding = [...byKey(merged.stats().sources).values()]
                .filter((st) => st.key !== key && st.buffered > 0)
                .map((st) => st.key);
              owed.set(key, new Set(holding));
              check();
            },
            complete: () => (completed = true),
          });
          // Let the sources fill their queues before the consumer acts, half of the time: the
          // consumer is then the bottleneck, the case where turn-taking shows.
          if (prefill) await drive(s, check);
          let nextKey = sizes.length;
          let stopped = false;
          let ended = false;
          for (const a of actions) {
            void s.schedule(Promise.resolve(), a.kind).then(() => {
              switch (a.kind) {
                case 'request':
                  return sub.request(a.n);
                case 'remove':
                  if (merged.remove(a.key, a.policy) && a.policy === 'discard')
                    discarded.add(a.key);
                  return;
                case 'add':
                  if (!ended && !completed) merged.add(nextKey, open(nextKey, a.n));
                  nextKey += 1;
                  return;
                case 'end':
                  ended = true;
                  return merged.end();
                case 'stop':
                  stopped = true;
                  return sub.unsubscribe();
              }
            });
          }
          await drive(s, check);
          const stats = byKey(merged.stats().sources);
          if (stopped) {
            expect(merged.stats().buffered).toBe(0);
          }
          if (completed) {
            for (const [key, st] of stats) {
              if (!discarded.has(key) && st.active)
                expect(seen.get(key) ?? []).toHaveLength(sizeOf.get(key)!);
            }
          }
          sub.unsubscribe();
          await drive(s);
          for (const [key, source] of sources) {
            if (source.pulled > 0 && !source.finished)
              expect(source.finalized, `source ${key}`).toBe(true);
          }
        },
      ),
      { numRuns },
    );
  });

  it('alternates strictly between sources that hold items', async () => {
    const merged = roundRobinMerge<string, string>([
      ['a', fromAsyncIterable(['a1', 'a2', 'a3', 'a4'])],
      ['b', fromAsyncIterable(['b1', 'b2'])],
      ['c', fromAsyncIterable(['c1'])],
    ]);
    const seen: string[] = [];
    let completed = false;
    const sub = merged.subscribeWithDemand({
      next: (x) => seen.push(x),
      complete: () => (completed = true),
    });
    sub.request(Infinity);
    await settle();
    expect(seen).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(completed).toBe(true);
  });

  it('adds a source at the end of the rotation while running', async () => {
    const merged = roundRobinMerge<string, string>([['a', fromAsyncIterable(['a1', 'a2', 'a3'])]]);
    const seen: string[] = [];
    const sub = merged.subscribeWithDemand((x) => seen.push(x));
    await settle();
    sub.request(1);
    merged.add('b', fromAsyncIterable(['b1', 'b2']));
    await settle();
    sub.request(4);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(merged.keys()).toEqual(['a', 'b']);
  });

  it('drains a removed source into the output, counted, after unsubscribing it at once', async () => {
    const a = new CountingSource(Infinity);
    const merged = roundRobinMerge<string, number>([['a', fromAsyncIterable(a.items())]], {
      capacity: 3,
    });
    const seen: number[] = [];
    let completed = false;
    const sub = merged.subscribeWithDemand({
      next: (x) => seen.push(x),
      complete: () => (completed = true),
    });
    await settle();
    expect(merged.remove('a')).toBe(true);
    await settle();
    expect(a.finalized).toBe(true);
    expect(merged.has('a')).toBe(false);
    sub.request(5);
    expect(seen).toEqual([0, 1, 2]);
    expect(completed).toBe(true);
    expect(merged.stats().sources[0]).toMatchObject({
      key: 'a',
      active: false,
      received: 3,
      delivered: 0,
      drained: 3,
      discarded: 0,
    });
  });

  it('discards a removed source’s items when asked, counted', async () => {
    const merged = roundRobinMerge<string, number>(
      [
        ['a', fromAsyncIterable([1, 2, 3])],
        ['b', fromAsyncIterable([4])],
      ],
      { onRemove: 'discard' },
    );
    const seen: number[] = [];
    const sub = merged.subscribeWithDemand((x) => seen.push(x));
    await settle();
    merged.remove('a');
    expect(merged.remove('b', 'drain')).toBe(true);
    expect(merged.remove('zzz')).toBe(false);
    sub.request(10);
    expect(seen).toEqual([4]);
    const stats = merged.stats();
    expect(stats).toMatchObject({ discarded: 3, drained: 1, delivered: 0, buffered: 0 });
  });

  it('stays open without sources until end() when completeWhenEmpty is false', async () => {
    const merged = roundRobinMerge<string, number>([], { completeWhenEmpty: false });
    let completed = false;
    const seen: number[] = [];
    merged.subscribe({ next: (x) => seen.push(x), complete: () => (completed = true) });
    merged.add('p1', fromAsyncIterable([1]));
    await settle();
    expect(seen).toEqual([1]);
    expect(completed).toBe(false);
    merged.remove('p1');
    merged.add('p2', fromAsyncIterable([2]));
    await settle();
    expect(completed).toBe(false);
    merged.end();
    merged.end();
    expect(completed).toBe(true);
    expect(seen).toEqual([1, 2]);
    expect(() => merged.add('p3', fromAsyncIterable([3]))).toThrow(
      new TypeError('Cannot add source "p3": end() was called'),
    );
  });

  it('attaches a source added from inside an emission exactly once', () => {
    const merged = roundRobinMerge<string, number>([['a', fromAsyncIterable([1, 2])]]);
    const seen: number[] = [];
    merged.subscribe((x) => {
      seen.push(x);
      if (x === 1) merged.add('b', fromAsyncIterable([10, 20]));
    });
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 10, 20]);
    expect(merged.stats().sources.find((s) => s.key === 'b')?.received).toBe(2);
  });

  it('completes at once without sources by default, like merge()', () => {
    let completed = false;
    roundRobinMerge().subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('fails when a source fails, unsubscribing the others', async () => {
    const other = new CountingSource(Infinity);
    const failing = new Subject<number>();
    const merged = roundRobinMerge<string, number>([
      ['ok', fromAsyncIterable(other.items())],
      ['bad', failing],
    ]);
    let error: unknown;
    merged.subscribeWithDemand({ error: (e: unknown) => (error = e) });
    await settle();
    failing.error(new Error('unreadable slide'));
    await settle();
    expect((error as Error).message).toBe('unreadable slide');
    expect(other.finalized).toBe(true);
    expect(merged.stats().buffered).toBe(0);
  });

  it('bounds a plain Observable source: overrun fails with QueueOverflowError', () => {
    const subject = new Subject<number>();
    const merged = roundRobinMerge<string, number>([['plain', subject]], { capacity: 2 });
    let error: unknown;
    merged.subscribeWithDemand({ error: (e: unknown) => (error = e) });
    subject.next(1);
    subject.next(2);
    expect(error).toBeUndefined();
    subject.next(3);
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(subject.observed).toBe(false);
  });

  it('rejects duplicate keys and invalid arguments with clear messages', () => {
    const merged = roundRobinMerge<string, number>([['a', fromAsyncIterable([1])]]);
    expect(() => merged.add('a', fromAsyncIterable([2]))).toThrow(
      new TypeError('Expected `key` to be a key not already in the merge, got `"a"` (string)'),
    );
    expect(() => merged.add('b', [1] as never)).toThrow(
      new TypeError('Expected `source` to be an Observable, got `[1]` (array)'),
    );
    expect(() => merged.remove('a', 'keep' as never)).toThrow(
      new TypeError("Expected `onRemove` to be one of 'drain', 'discard', got `\"keep\"` (string)"),
    );
    expect(() => roundRobinMerge(42 as never)).toThrow(
      new TypeError(
        'Expected `sources` to be an iterable of [key, Observable] pairs, got `42` (number)',
      ),
    );
    expect(() => roundRobinMerge([], { capacity: 0 })).toThrow(
      new RangeError('Expected `capacity` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() => roundRobinMerge([], { completeWhenEmpty: 1 as never })).toThrow(
      new TypeError('Expected `completeWhenEmpty` to be a boolean, got `1` (number)'),
    );
  });

  it('returns a Flowable with frozen stats in first-added order', () => {
    const merged = roundRobinMerge<string, number>([
      ['b', fromAsyncIterable([1])],
      ['a', fromAsyncIterable([2])],
    ]);
    expect(merged).toBeInstanceOf(Flowable);
    const stats = merged.stats();
    expect(Object.isFrozen(stats)).toBe(true);
    expect(Object.isFrozen(stats.sources[0])).toBe(true);
    expect(stats.sources.map((s) => s.key)).toEqual(['b', 'a']);
  });

  describe('abort', () => {
    it('fails at subscribe with the reason when already aborted, subscribing no source', () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      controller.abort(reason);
      const subject = new Subject<number>();
      let error: unknown;
      roundRobinMerge([['a', subject]], { signal: controller.signal }).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBe(reason);
      expect(subject.observed).toBe(false);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('fails with the reason while holding items, discarding them and releasing every source', async () => {
      const controller = new AbortController();
      const a = new CountingSource(Infinity);
      const b = new CountingSource(Infinity);
      const merged = roundRobinMerge<string, number>(
        [
          ['a', fromAsyncIterable(a.items())],
          ['b', fromAsyncIterable(b.items())],
        ],
        { capacity: 2, signal: controller.signal },
      );
      let error: unknown;
      merged.subscribeWithDemand({ error: (e: unknown) => (error = e) });
      await settle();
      expect(merged.stats().buffered).toBe(4);
      const reason = { why: 'swap' };
      controller.abort(reason);
      await settle();
      expect(error).toBe(reason);
      expect(merged.stats()).toMatchObject({ buffered: 0, discarded: 4 });
      expect(a.finalized && b.finalized).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('removes its listener on completion', async () => {
      const controller = new AbortController();
      let completed = false;
      roundRobinMerge([['a', fromAsyncIterable([1])]], { signal: controller.signal }).subscribe({
        complete: () => (completed = true),
      });
      await settle();
      expect(completed).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
