import type { Observable } from 'rxjs';
import { assertInteger, assertOneOf, assertSignal } from '../internal/validate.js';
import { assertObservable } from './assert-observable.js';
import type { BoundedQueueOptions } from './bounded-queue-options.js';
import type { BoundedQueueStats } from './bounded-queue-stats.js';
import { Flowable } from './flowable.js';
import { mergeOptions } from './merge-options.js';
import { newQueueMeter, queueProducer } from './queue-producer.js';
import type { StageOperator } from './stage-operator.js';

interface FilledOptions {
  readonly overflow: 'wait' | 'error';
  readonly signal: AbortSignal | undefined;
}

const DEFAULTS: FilledOptions = Object.freeze({ overflow: 'wait', signal: undefined });

/**
 * A first-in first-out buffer of at most `capacity` items that prefetches from upstream and
 * hands items downstream as credit arrives.
 *
 * @remarks
 * **Backpressure.** Over a demand-aware upstream (a {@link Flowable}) with `overflow: 'wait'`, the
 * queue grants upstream exactly the room it has: items held plus items requested never exceed
 * `capacity`, so a slow consumer pauses the producer. With `overflow: 'error'`, or over a plain
 * `Observable` (which cannot be paused), upstream runs free and the item past `capacity` fails
 * the stream with `QueueOverflowError`. This is also the way to wrap a plain `Observable` as a
 * {@link Flowable} with a bounded buffer.
 *
 * **Ordering.** Items leave in arrival order. Completion is delivered after the last held item;
 * an error (upstream, overflow, or abort) is delivered at once and the held items are dropped
 * (counted in `stats().dropped`).
 *
 * **Cancellation.** Unsubscribing, or aborting `signal` (the stream then fails with
 * `signal.reason`; already aborted fails at subscribe, before upstream is touched), unsubscribes
 * upstream at once.
 *
 * @typeParam T - Item type.
 * @param capacity - Items held at most, per subscription: an integer ≥ 1.
 * @param options - See {@link BoundedQueueOptions}.
 * @returns The operator; its `stats()` gives a {@link BoundedQueueStats} snapshot.
 * @throws `TypeError` or `RangeError` at once for invalid arguments.
 * @throws `QueueOverflowError` (as an error notification) when an unpaced upstream overruns
 *   `capacity`.
 * @example
 * ```ts
 * async function* slides() { yield 'a.tif'; yield 'b.tif'; }
 * const queue = boundedQueue<string>(4);
 * fromAsyncIterable(slides()).pipe(queue).subscribe((path) => console.log(path));
 * ```
 */
export function boundedQueue<T>(
  capacity: number,
  options?: BoundedQueueOptions,
): StageOperator<T, T, BoundedQueueStats> {
  assertInteger('capacity', capacity, 1);
  const filled = mergeOptions(DEFAULTS, options);
  const overflow = assertOneOf('overflow', filled.overflow, ['wait', 'error'] as const);
  const signal = assertSignal('signal', filled.signal);
  const meter = newQueueMeter();
  const operator = (source: Observable<T>): Flowable<T> =>
    new Flowable(
      queueProducer(assertObservable<T>('source', source), capacity, overflow, meter, signal),
    );
  const stats = (): BoundedQueueStats => Object.freeze({ capacity, ...meter });
  return Object.assign(operator, { stats });
}
