import type { Observable } from 'rxjs';
import type { Flowable } from './flowable.js';
import type { RoundRobinMergeStats } from './round-robin-merge-stats.js';

/**
 * The merged stream {@link roundRobinMerge} returns: a {@link Flowable} of the sources' items,
 * plus the handle to add and remove sources while it runs.
 *
 * @remarks
 * The handle is shared by every subscription to the stream: `add` subscribes the new source for
 * each live subscription (and for later ones), `remove` unsubscribes it from each.
 *
 * @typeParam K - Source key type.
 * @typeParam T - Item type.
 * @example
 * ```ts
 * const merged: RoundRobinMerger<string, number> = roundRobinMerge<string, number>([], {
 *   completeWhenEmpty: false,
 * });
 * merged.subscribe((n) => console.log(n));
 * merged.add('a', fromAsyncIterable([1, 2]));
 * merged.remove('a');
 * merged.end();
 * ```
 */
export interface RoundRobinMerger<K, T> extends Flowable<T> {
  /**
   * Adds a source; it joins the end of the rotation.
   *
   * @param key - A key not currently in the merge (a removed key may be added again).
   * @param source - The source; a {@link Flowable} is paced by demand.
   * @throws `TypeError` when `key` is already in the merge, `source` is not an Observable, or
   *   `end()` was called.
   */
  add(key: K, source: Observable<T>): void;
  /**
   * Removes a source: it is unsubscribed at once and its held items are drained into the output
   * or discarded.
   *
   * @param key - The source's key.
   * @param onRemove - Overrides the merge's `onRemove` option for this call.
   * @returns `false` when `key` was not in the merge.
   */
  remove(key: K, onRemove?: 'drain' | 'discard'): boolean;
  /**
   * @param key - A key.
   * @returns Whether `key` is in the merge.
   */
  has(key: K): boolean;
  /**
   * @returns The keys in the merge, in rotation order.
   */
  keys(): K[];
  /**
   * Declares that no source will be added: the merge completes once every remaining source has
   * completed or been removed, and been drained. Idempotent.
   */
  end(): void;
  /**
   * An immutable snapshot of the merge's counters.
   *
   * @returns A frozen snapshot.
   */
  stats(): RoundRobinMergeStats<K>;
}
