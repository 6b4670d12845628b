/**
 * The counters of one source of a {@link roundRobinMerge}, summed over the merge's subscriptions.
 *
 * @remarks
 * `received = delivered + drained + discarded + buffered`.
 *
 * @typeParam K - Source key type.
 * @example
 * ```ts
 * const merged = roundRobinMerge([['p1', fromAsyncIterable([1, 2])]]);
 * merged.subscribe();
 * for (const s of merged.stats().sources) console.log(s.key, s.delivered, s.discarded);
 * ```
 */
export interface RoundRobinSourceStats<K> {
  /** The source's key. */
  readonly key: K;
  /** `true` while the key is in the merge (added and not removed). */
  readonly active: boolean;
  /** Items held now. */
  readonly buffered: number;
  /** Credit granted to the source in total. */
  readonly requested: number;
  /** Items received from the source. */
  readonly received: number;
  /** Items emitted while the source was in the merge. */
  readonly delivered: number;
  /** Items emitted after the source was removed (`onRemove: 'drain'`). */
  readonly drained: number;
  /** Items dropped: removed with `onRemove: 'discard'`, or held when the merge ended. */
  readonly discarded: number;
}
