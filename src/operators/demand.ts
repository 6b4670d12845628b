/**
 * The producer's side of the demand protocol: how much the consumer has asked for.
 *
 * @remarks
 * A {@link Flowable}'s producer receives one `Demand` per subscription. `credit` is the number of
 * items it may still emit (every `next` on its sink spends one; `Infinity` means unbounded, which
 * is what a plain `subscribe()` grants). The producer registers one listener with
 * {@link Demand.onRequest}; it is called at once if credit is already available, then after every
 * grant. Grants made while the listener runs (a consumer that requests again from inside `next`)
 * are coalesced into another pass of the same listener instead of recursing, so a producer can
 * emit in a simple `while (demand.credit > 0)` loop without growing the stack.
 *
 * @example
 * ```ts
 * const counter = new Flowable<number>((sink, demand) => {
 *   let i = 0;
 *   demand.onRequest(() => {
 *     while (demand.credit > 0 && !sink.closed) sink.next(i++);
 *   });
 * });
 * ```
 */
export interface Demand {
  /** Items the producer may still emit: granted minus emitted; `Infinity` when unbounded. */
  readonly credit: number;
  /** Total credit granted so far (`Infinity` once any unbounded grant was made). */
  readonly requested: number;
  /**
   * Sets the listener called when credit is granted (replacing any previous one). It is called
   * synchronously at once if credit is already available.
   *
   * @param listener - Called after each grant; reads {@link Demand.credit} to know how much.
   */
  onRequest(listener: () => void): void;
}
