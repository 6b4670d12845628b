/**
 * A snapshot of a {@link boundedQueue} stage's counters, summed over its subscriptions.
 *
 * @remarks
 * Every item received is delivered, still buffered, or dropped (buffered when the stage ended by
 * error or unsubscribe): `received = delivered + buffered + dropped`.
 *
 * @example
 * ```ts
 * const queue = boundedQueue<number>(8);
 * const sub = fromAsyncIterable([1, 2, 3]).pipe(queue).subscribe();
 * const { buffered, capacity } = queue.stats();
 * console.log(`${buffered}/${capacity}`);
 * sub.unsubscribe();
 * ```
 */
export interface BoundedQueueStats {
  /** The configured capacity (items, per subscription). */
  readonly capacity: number;
  /** Items held now. */
  readonly buffered: number;
  /** The most items ever held at once by one subscription. */
  readonly maxBuffered: number;
  /** Credit granted upstream in total; `Infinity` when the upstream was not paced. */
  readonly requested: number;
  /** Items received from upstream. */
  readonly received: number;
  /** Items passed downstream. */
  readonly delivered: number;
  /** Items discarded because the stage ended (error, abort or unsubscribe) while they were held. */
  readonly dropped: number;
}
