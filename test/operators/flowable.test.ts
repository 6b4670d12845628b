import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Flowable } from '../../src/operators/flowable.js';
import type { FlowSink } from '../../src/operators/flow-sink.js';
import type { Demand } from '../../src/operators/demand.js';
import { numRuns } from './fakes.js';

/** Emits 0, 1, 2… while credit lasts; records every grant it saw. */
function naturals(limit = Infinity): {
  flowable: Flowable<number>;
  emitted: () => number;
  tornDown: () => number;
} {
  let emitted = 0;
  let tornDown = 0;
  const flowable = new Flowable<number>((sink, demand) => {
    let i = 0;
    demand.onRequest(() => {
      while (demand.credit > 0 && !sink.closed && i < limit) {
        emitted += 1;
        sink.next(i++);
      }
      if (i === limit) sink.complete();
    });
    return () => {
      tornDown += 1;
    };
  });
  return { flowable, emitted: () => emitted, tornDown: () => tornDown };
}

describe('Flowable', () => {
  it('is an RxJS Observable that plain subscribe() drives with unbounded credit', () => {
    const { flowable } = naturals(5);
    const seen: number[] = [];
    let completed = false;
    flowable.subscribe({ next: (n) => seen.push(n), complete: () => (completed = true) });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(completed).toBe(true);
  });

  it('composes with ordinary RxJS operators, item for item', () => {
    const { flowable } = naturals(3);
    const seen: number[] = [];
    flowable.pipe(map((n) => n * 10)).subscribe((n) => seen.push(n));
    expect(seen).toEqual([0, 10, 20]);
  });

  it('produces nothing before the first request when subscribed with demand', () => {
    const { flowable, emitted } = naturals();
    const seen: number[] = [];
    const sub = flowable.subscribeWithDemand((n) => seen.push(n));
    expect(emitted()).toBe(0);
    sub.request(2);
    expect(seen).toEqual([0, 1]);
    sub.request(3);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(sub.credit).toBe(0);
    sub.unsubscribe();
  });

  it('never emits more than was granted, whatever the grant sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 20 }), (grants) => {
        const { flowable, emitted } = naturals();
        const sub = flowable.subscribeWithDemand(() => {});
        let granted = 0;
        for (const n of grants) {
          sub.request(n);
          granted += n;
          expect(emitted()).toBe(granted);
        }
        sub.unsubscribe();
      }),
      { numRuns },
    );
  });

  it('serializes grants made from inside next instead of recursing', () => {
    const { flowable } = naturals(100_000);
    let count = 0;
    let completed = false;
    const sub = flowable.subscribeWithDemand({
      next: () => {
        count += 1;
        sub.request(1);
      },
      complete: () => (completed = true),
    });
    sub.request(1);
    expect(count).toBe(100_000);
    expect(completed).toBe(true);
  });

  it('fails the subscription with a RangeError when the producer overspends its credit', () => {
    const greedy = new Flowable<number>((sink: FlowSink<number>, demand: Demand) => {
      demand.onRequest(() => {
        sink.next(1);
        sink.next(2);
      });
    });
    const seen: number[] = [];
    let error: unknown;
    const sub = greedy.subscribeWithDemand({
      next: (n) => seen.push(n),
      error: (e: unknown) => (error = e),
    });
    sub.request(1);
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      'Expected the producer to emit within the granted credit, got one item more',
    );
    expect(sub.closed).toBe(true);
  });

  it('runs the teardown on unsubscribe and ignores later grants', () => {
    const { flowable, emitted, tornDown } = naturals();
    const sub = flowable.subscribeWithDemand(() => {});
    sub.request(1);
    sub.unsubscribe();
    expect(tornDown()).toBe(1);
    sub.request(5);
    expect(emitted()).toBe(1);
    expect(sub.credit).toBe(0);
  });

  it('delivers errors and completion without credit', () => {
    const failing = new Flowable<number>((sink) => sink.error(new Error('boom')));
    let error: unknown;
    failing.subscribeWithDemand({ error: (e: unknown) => (error = e) });
    expect((error as Error).message).toBe('boom');
    const empty = new Flowable<number>((sink) => sink.complete());
    let completed = false;
    empty.subscribeWithDemand({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('turns unbounded grants into Infinity credit', () => {
    const { flowable } = naturals(10);
    const seen: number[] = [];
    const sub = flowable.subscribeWithDemand((n) => seen.push(n));
    sub.request(Infinity);
    expect(seen).toHaveLength(10);
  });

  it('rejects invalid grants with the house message', () => {
    const sub = naturals().flowable.subscribeWithDemand(() => {});
    expect(() => sub.request(0)).toThrow(
      new RangeError('Expected `n` to be an integer ≥ 1 or Infinity, got `0` (number)'),
    );
    expect(() => sub.request(1.5)).toThrow(RangeError);
    expect(() => sub.request('2' as unknown as number)).toThrow(
      new TypeError('Expected `n` to be an integer ≥ 1 or Infinity, got `"2"` (string)'),
    );
    sub.unsubscribe();
  });

  it('rejects a producer that is not a function', () => {
    expect(() => new Flowable(42 as never)).toThrow(
      new TypeError('Expected `produce` to be a function, got `42` (number)'),
    );
  });
});
