/**
 * Where a {@link Flowable}'s producer delivers its notifications.
 *
 * @remarks
 * `next` spends one unit of the subscription's credit ({@link Demand.credit}). Emitting with no
 * credit left is a protocol violation: the subscription fails with a `RangeError` instead of
 * letting an unbounded buffer grow somewhere downstream. After `error`, `complete` or an
 * unsubscribe, `closed` is `true` and further calls are ignored.
 *
 * @typeParam T - Item type.
 * @example
 * ```ts
 * const one = new Flowable<string>((sink, demand) => {
 *   demand.onRequest(() => {
 *     if (sink.closed) return;
 *     sink.next('only');
 *     sink.complete();
 *   });
 * });
 * ```
 */
export interface FlowSink<T> {
  /** `true` once the subscription has ended (completed, failed or unsubscribed). */
  readonly closed: boolean;
  /**
   * Delivers one item, spending one unit of credit.
   *
   * @param value - The item.
   */
  next(value: T): void;
  /**
   * Ends the subscription with an error (no credit needed).
   *
   * @param error - The error.
   */
  error(error: unknown): void;
  /** Ends the subscription normally (no credit needed). */
  complete(): void;
}
