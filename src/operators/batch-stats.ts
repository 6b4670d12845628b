/**
 * A snapshot of a {@link batch} stage's counters, summed over its subscriptions.
 *
 * @remarks
 * `received = delivered + buffered + dropped` (items), and at most `size` items are buffered per
 * subscription.
 *
 * @example
 * ```ts
 * const batcher = batch<number>(32);
 * await fromAsyncIterable([1, 2, 3]).pipe(batcher).forEach(() => {});
 * const { batches, delivered } = batcher.stats(); // 1 batch, 3 items
 * ```
 */
export interface BatchStats {
  /** The configured batch size (items). */
  readonly size: number;
  /** Items gathered for the next batch. */
  readonly buffered: number;
  /** Credit granted upstream in total (items). */
  readonly requested: number;
  /** Items received from upstream. */
  readonly received: number;
  /** Batches emitted, partial ones included. */
  readonly batches: number;
  /** Partial batches emitted (at most one per subscription, on completion). */
  readonly partial: number;
  /** Items emitted inside batches. */
  readonly delivered: number;
  /** Items discarded: the stage ended before their batch was emitted, `collate` threw, or a
   * partial batch was not emitted (`emitPartial: false`). */
  readonly dropped: number;
}
