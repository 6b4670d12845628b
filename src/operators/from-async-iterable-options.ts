/**
 * Options of {@link fromAsyncIterable}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const options: FromAsyncIterableOptions = { signal: controller.signal };
 * ```
 */
export interface FromAsyncIterableOptions {
  /**
   * Aborting it fails every subscription with `signal.reason` and calls the iterator's
   * `return()` at once.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
}
