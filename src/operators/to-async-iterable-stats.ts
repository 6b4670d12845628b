/**
 * A snapshot of a {@link toAsyncIterable} bridge's counters.
 *
 * @remarks
 * `received = delivered + buffered + dropped`.
 *
 * @example
 * ```ts
 * const batches = toAsyncIterable(fromAsyncIterable([[1, 2], [3]]));
 * for await (const b of batches) console.log(b, batches.stats().buffered);
 * ```
 */
export interface ToAsyncIterableStats {
  /** The configured high-water mark (items). */
  readonly highWaterMark: number;
  /** Items held, waiting for `next()`. */
  readonly buffered: number;
  /** The most items ever held at once. */
  readonly maxBuffered: number;
  /** Credit granted to the source in total; `Infinity` for a plain `Observable`. */
  readonly requested: number;
  /** Items received from the source. */
  readonly received: number;
  /** Items handed to the loop. */
  readonly delivered: number;
  /** Items discarded: held when the iteration ended early, failed, or overflowed. */
  readonly dropped: number;
  /** `next()` calls waiting for an item now. */
  readonly waiting: number;
}
