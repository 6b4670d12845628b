import type { ToAsyncIterableStats } from './to-async-iterable-stats.js';

/**
 * The async iterator {@link toAsyncIterable} returns: single-use, bounded, with counters.
 *
 * @typeParam T - Item type.
 * @example
 * ```ts
 * const it: BoundedAsyncIterator<number> = toAsyncIterable(fromAsyncIterable([1, 2, 3]));
 * const first = await it.next(); // { done: false, value: 1 }
 * await it.return(); // unsubscribes the source
 * ```
 */
export interface BoundedAsyncIterator<T> extends AsyncIterableIterator<T, undefined, undefined> {
  /**
   * The next item. Calls made before earlier ones settle are queued and settle in call order.
   *
   * @returns The next item, or `done` once the source completed (or the iteration ended).
   * @throws The source's error, `QueueOverflowError`, or the abort reason (as a rejection), once;
   *   later calls resolve `done`.
   */
  next(): Promise<IteratorResult<T, undefined>>;
  /**
   * Ends the iteration early (what `break` calls): unsubscribes the source, drops the held items,
   * settles waiting `next()` calls with `done`.
   *
   * @returns `done`.
   */
  return(): Promise<IteratorResult<T, undefined>>;
  /**
   * @returns This iterator (it is single-use).
   */
  [Symbol.asyncIterator](): BoundedAsyncIterator<T>;
  /**
   * An immutable snapshot of the bridge's counters.
   *
   * @returns A frozen snapshot.
   */
  stats(): ToAsyncIterableStats;
}
