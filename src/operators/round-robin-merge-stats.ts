import type { RoundRobinSourceStats } from './round-robin-source-stats.js';

/**
 * A snapshot of a {@link roundRobinMerge}'s counters: totals, and one entry per key ever added.
 *
 * @typeParam K - Source key type.
 * @example
 * ```ts
 * const merged = roundRobinMerge([['p1', fromAsyncIterable([1, 2])]]);
 * merged.subscribe();
 * const { buffered, delivered, drained, discarded } = merged.stats();
 * ```
 */
export interface RoundRobinMergeStats<K> {
  /** The configured capacity (items per source). */
  readonly capacity: number;
  /** Items held now, over all sources. */
  readonly buffered: number;
  /** Items emitted while their source was in the merge. */
  readonly delivered: number;
  /** Items emitted after their source was removed. */
  readonly drained: number;
  /** Items dropped. */
  readonly discarded: number;
  /** Per-key counters, in the order keys were first added. */
  readonly sources: readonly RoundRobinSourceStats<K>[];
}
