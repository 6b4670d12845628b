import type { Observable } from 'rxjs';
import { assertInteger, assertSignal } from '../internal/validate.js';
import { assertObservable } from './assert-observable.js';
import type { BoundedAsyncIterator } from './bounded-async-iterator.js';
import { BridgeIterator } from './bridge-iterator.js';
import { mergeOptions } from './merge-options.js';
import type { ToAsyncIterableOptions } from './to-async-iterable-options.js';

interface FilledOptions {
  readonly highWaterMark: number;
  readonly signal: AbortSignal | undefined;
}

const DEFAULTS: FilledOptions = Object.freeze({ highWaterMark: 16, signal: undefined });

/**
 * Bridges an Observable to a bounded, single-use async iterator, for `for await` loops.
 *
 * @remarks
 * **Backpressure.** The source is subscribed on the first `next()`. A demand-aware source (a
 * {@link Flowable}, e.g. any stage of this module) is asked for `highWaterMark` items, then for one
 * more each time the loop takes one: it never produces more than the loop has room for. A plain
 * `Observable` cannot be paused: up to `highWaterMark` items are held for a slow loop, and one
 * more fails the iteration with `QueueOverflowError` (unlike `eachValueFrom` or IxJS `from`, which
 * buffer without limit).
 *
 * **Ordering.** Items come out in emission order; `next()` calls made before earlier ones settle
 * are queued and settle in call order. Completion is seen after the held items; an error (or
 * abort) cuts ahead: the held items are dropped (counted) and the next `next()` rejects with it.
 *
 * **Cancellation.** `break`, `return()`, a thrown error in the loop body, or aborting `signal`
 * unsubscribes the source at once, which tears down the whole chain above it (queues drop their
 * items, `mapInPool` aborts its running jobs, `fromAsyncIterable` calls the iterator's
 * `return()`). An already aborted `signal` makes the first `next()` reject with its reason,
 * without subscribing.
 *
 * @typeParam T - Item type.
 * @param source - The Observable to iterate.
 * @param options - See {@link ToAsyncIterableOptions}.
 * @returns A single-use {@link BoundedAsyncIterator}.
 * @throws `TypeError` or `RangeError` at once for invalid arguments.
 * @example
 * ```ts
 * async function* numbers() { for (let i = 0; ; i++) yield i; }
 * for await (const n of toAsyncIterable(fromAsyncIterable(numbers()), { highWaterMark: 4 })) {
 *   if (n === 10) break; // the generator is returned at once; nothing past 14 was ever pulled
 * }
 * ```
 */
export function toAsyncIterable<T>(
  source: Observable<T>,
  options?: ToAsyncIterableOptions,
): BoundedAsyncIterator<T> {
  assertObservable<T>('source', source);
  const filled = mergeOptions(DEFAULTS, options);
  const highWaterMark = assertInteger('highWaterMark', filled.highWaterMark, 1);
  const signal = assertSignal('signal', filled.signal);
  return new BridgeIterator(source, highWaterMark, signal);
}
