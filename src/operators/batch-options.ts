/**
 * Options of {@link batch}.
 *
 * @typeParam T - Item type.
 * @typeParam R - Batch type (what `collate` returns).
 * @example
 * ```ts
 * const options: BatchOptions<Uint8Array, Uint8Array> = {
 *   collate: (patches) => {
 *     const out = new Uint8Array(patches.reduce((n, p) => n + p.length, 0));
 *     let offset = 0;
 *     for (const p of patches) {
 *       out.set(p, offset);
 *       offset += p.length;
 *     }
 *     return out;
 *   },
 *   emitPartial: false,
 * };
 * ```
 */
export interface BatchOptions<T, R> {
  /**
   * Turns the items of one batch (a fresh array the function may keep) into the emitted value;
   * `index` is the 0-based batch number within the subscription. A throw fails the stream.
   *
   * @defaultValue the array of items itself
   */
  readonly collate?: (items: T[], index: number) => R;
  /**
   * Whether the last, smaller batch is emitted when upstream completes. When `false` its items
   * are counted in `stats().dropped`.
   *
   * @defaultValue `true`
   */
  readonly emitPartial?: boolean;
  /**
   * Aborting it fails every subscription with `signal.reason` and unsubscribes upstream.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
}
