import type { Unsubscribable } from 'rxjs';

/**
 * The consumer's handle on a demand-aware subscription: grant credit with `request(n)`, stop with
 * `unsubscribe()`.
 *
 * @remarks
 * A subscription made with {@link Flowable.subscribeWithDemand} starts with zero credit, so
 * nothing is produced until the first `request`. Items may arrive synchronously inside
 * `request` (the producer runs its grant listener at once) or later; `request` may be called from
 * inside the observer's `next`, and such re-entrant grants do not recurse.
 *
 * @example
 * ```ts
 * async function* rows() {
 *   yield 'a';
 *   yield 'b';
 * }
 * const sub = fromAsyncIterable(rows()).subscribeWithDemand({
 *   next: (row) => {
 *     console.log(row);
 *     sub.request(1); // one more when this one is done
 *   },
 * });
 * sub.request(4); // prefetch four
 * ```
 */
export interface FlowSubscription extends Unsubscribable {
  /** `true` once the subscription has ended. */
  readonly closed: boolean;
  /** Credit granted and not yet spent; `Infinity` after an unbounded grant. */
  readonly credit: number;
  /**
   * Grants `n` more items of credit. Ignored once the subscription is closed.
   *
   * @param n - An integer ≥ 1, or `Infinity` for unbounded demand.
   * @throws `TypeError` or `RangeError` when `n` is not an integer ≥ 1 or `Infinity`.
   */
  request(n: number): void;
}
