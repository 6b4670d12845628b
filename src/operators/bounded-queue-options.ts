/**
 * Options of {@link boundedQueue}.
 *
 * @example
 * ```ts
 * const options: BoundedQueueOptions = { overflow: 'error', signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface BoundedQueueOptions {
  /**
   * What a full queue does. `'wait'`: it stops granting credit upstream, so a demand-aware
   * upstream pauses until the consumer takes an item (a plain `Observable` cannot pause: it gets
   * `'error'` behaviour). `'error'`: upstream is never paused (unbounded demand) and the item past
   * `capacity` fails the stream with `QueueOverflowError`.
   *
   * @defaultValue `'wait'`
   */
  readonly overflow?: 'wait' | 'error';
  /**
   * Aborting it fails every subscription with `signal.reason` and tears down the upstream.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
}
