/**
 * Options of {@link roundRobinMerge}.
 *
 * @example
 * ```ts
 * const options: RoundRobinMergeOptions = { capacity: 64, onRemove: 'discard', completeWhenEmpty: false };
 * ```
 */
export interface RoundRobinMergeOptions {
  /**
   * Items held per source, at most: an integer ≥ 1. A demand-aware source is asked for no more
   * than this; a plain `Observable` source that overruns it fails the merge with
   * `QueueOverflowError`.
   *
   * @defaultValue `16`
   */
  readonly capacity?: number;
  /**
   * What `remove(key)` does with the removed source's held items: `'drain'` keeps them in the
   * rotation until emitted (counted as `drained`), `'discard'` drops them at once (counted as
   * `discarded`). Either way the source is unsubscribed at once. `remove` can override it per
   * call.
   *
   * @defaultValue `'drain'`
   */
  readonly onRemove?: 'drain' | 'discard';
  /**
   * `true`: the merge completes once it holds no source (every source completed or was removed,
   * and was drained), like RxJS `merge`; with no source at all it completes at once.
   * `false`: it stays open for `add()` until `end()` is called, for sources that come and go.
   *
   * @defaultValue `true`
   */
  readonly completeWhenEmpty?: boolean;
  /**
   * Aborting it fails every subscription with `signal.reason` and unsubscribes every source.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
}
