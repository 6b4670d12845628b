import type { Observable } from 'rxjs';
import type { Flowable } from './flowable.js';

/**
 * An RxJS operator function that builds a bounded, demand-aware stage, and keeps the stage's
 * counters.
 *
 * @remarks
 * Use it in `pipe()` like any operator. Keep a reference to read {@link StageOperator.stats}:
 * the snapshot adds up every subscription made through this operator (usually exactly one);
 * gauges such as `buffered` are the sums over the live ones.
 *
 * @typeParam I - Input item type.
 * @typeParam O - Output item type.
 * @typeParam S - Stats snapshot type.
 * @example
 * ```ts
 * const queue = boundedQueue<number>(8);
 * fromAsyncIterable([1, 2, 3]).pipe(queue).subscribe();
 * console.log(queue.stats().delivered); // 3
 * ```
 */
export interface StageOperator<I, O, S> {
  /**
   * Builds the stage over `source`.
   *
   * @param source - The upstream; a {@link Flowable} is paced by demand.
   * @returns The stage, itself a {@link Flowable}.
   */
  (source: Observable<I>): Flowable<O>;
  /**
   * An immutable snapshot of the stage's counters.
   *
   * @returns A frozen snapshot.
   */
  stats(): S;
}
