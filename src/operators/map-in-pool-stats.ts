/**
 * A snapshot of a {@link mapInPool} stage's counters, summed over its subscriptions.
 *
 * @remarks
 * Every job started is running, succeeded, failed, or aborted:
 * `started = inFlight + succeeded + failed + aborted`; every success is delivered, held, or
 * dropped: `succeeded = delivered + held + dropped`.
 *
 * @example
 * ```ts
 * const tiles = mapInPool<number, number>({ run: async (n) => n + 1 }, { concurrency: 2 });
 * const sub = fromAsyncIterable([1, 2, 3]).pipe(tiles).subscribe();
 * const { inFlight, concurrency } = tiles.stats();
 * console.log(`${inFlight}/${concurrency} jobs running`);
 * sub.unsubscribe(); // aborts the running jobs
 * ```
 */
export interface MapInPoolStats {
  /** The configured concurrency (jobs in flight at most, per subscription). */
  readonly concurrency: number;
  /** The configured capacity (items held at most, per subscription). */
  readonly capacity: number;
  /** Jobs running now. */
  readonly inFlight: number;
  /** The most jobs ever running at once in one subscription. */
  readonly maxInFlight: number;
  /** Finished results not yet passed downstream. */
  readonly held: number;
  /** The most items (running plus held) ever held at once by one subscription. */
  readonly maxHolding: number;
  /** Credit granted upstream in total. */
  readonly requested: number;
  /** Jobs started (one per item received). */
  readonly started: number;
  /** Jobs that resolved. */
  readonly succeeded: number;
  /** Jobs that rejected (the first one fails the stream). */
  readonly failed: number;
  /** Jobs aborted because the stage ended while they were running. */
  readonly aborted: number;
  /** Results passed downstream. */
  readonly delivered: number;
  /** Finished results discarded because the stage ended before they were passed on. */
  readonly dropped: number;
}
