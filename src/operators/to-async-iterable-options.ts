/**
 * Options of {@link toAsyncIterable}.
 *
 * @example
 * ```ts
 * const options: ToAsyncIterableOptions = { highWaterMark: 4, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface ToAsyncIterableOptions {
  /**
   * Items held at most, waiting for the loop to ask for them: an integer ≥ 1. A demand-aware
   * source is asked for no more than this; a plain `Observable` that overruns it fails the
   * iteration with `QueueOverflowError`.
   *
   * @defaultValue `16`
   */
  readonly highWaterMark?: number;
  /**
   * Aborting it unsubscribes the source and rejects the pending (or next) `next()` with
   * `signal.reason`.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
}
