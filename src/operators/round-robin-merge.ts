import type { Observable } from 'rxjs';
import {
  assertBoolean,
  assertInteger,
  assertOneOf,
  assertSignal,
  expected,
} from '../internal/validate.js';
import { MergeHub } from './merge-hub.js';
import { mergeOptions } from './merge-options.js';
import { Merger } from './merger.js';
import type { RoundRobinMergeOptions } from './round-robin-merge-options.js';
import type { RoundRobinMerger } from './round-robin-merger.js';

interface FilledOptions {
  readonly capacity: number;
  readonly onRemove: 'drain' | 'discard';
  readonly completeWhenEmpty: boolean;
  readonly signal: AbortSignal | undefined;
}

const DEFAULTS: FilledOptions = Object.freeze({
  capacity: 16,
  onRemove: 'drain',
  completeWhenEmpty: true,
  signal: undefined,
});

/**
 * Merges keyed sources fairly, one item from each non-empty source in turn, with a bounded queue
 * per source; sources can be added and removed while it runs.
 *
 * @remarks
 * **Fairness.** Sources form a rotation in the order they were added. Each emission takes the
 * oldest item of the first source, after the one that emitted last, that holds an item; a source
 * with nothing ready is skipped, never waited for. A fast source therefore cannot crowd out a slow
 * one: while several sources hold items they alternate strictly. Fairness shows when the consumer
 * is the bottleneck; when it takes every item as soon as it arrives, items leave in arrival order.
 *
 * **Backpressure.** Each source has its own queue of at most `capacity` items; a demand-aware
 * source is granted credit only up to the free room of its queue, so the merge holds at most
 * `capacity` × sources items and a source nobody drains is paused. A plain `Observable` source
 * that overruns its queue fails the merge with `QueueOverflowError`.
 *
 * **Dynamic sources.** `add(key, source)` subscribes the source at once for every live
 * subscription. `remove(key)` unsubscribes it at once; its held items are either kept in the
 * rotation until emitted (`'drain'`, counted as `drained`) or dropped (`'discard'`, counted as
 * `discarded`). Per-key counters stay in `stats()` after removal.
 *
 * **Completion and errors.** With `completeWhenEmpty` (the default) the merge completes when no
 * source is left (all completed or removed, and drained); otherwise only after `end()`. A source's
 * error fails the merge at once (every source unsubscribed, held items discarded); guard sources
 * with `catchError` to keep the others going.
 *
 * **Cancellation.** Unsubscribing or aborting `signal` (fails with `signal.reason`) unsubscribes
 * every source at once.
 *
 * @typeParam K - Source key type.
 * @typeParam T - Item type.
 * @param sources - Initial sources as `[key, source]` pairs (an array, a `Map`…); keys must be
 *   distinct.
 * @param options - See {@link RoundRobinMergeOptions}.
 * @returns The merged stream with its handle.
 * @throws `TypeError` or `RangeError` at once for invalid arguments or a duplicate key.
 * @example
 * ```ts
 * const merged = roundRobinMerge([
 *   ['a', fromAsyncIterable(['a1', 'a2', 'a3'])],
 *   ['b', fromAsyncIterable(['b1'])],
 * ]);
 * const sub = merged.subscribeWithDemand((x) => console.log(x));
 * sub.request(4); // a1, b1, a2, a3
 * ```
 */
export function roundRobinMerge<K, T>(
  sources: Iterable<readonly [K, Observable<T>]> = [],
  options?: RoundRobinMergeOptions,
): RoundRobinMerger<K, T> {
  if (
    sources === null ||
    typeof (sources as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(expected('sources', 'an iterable of [key, Observable] pairs', sources));
  }
  const filled = mergeOptions(DEFAULTS, options);
  const hub = new MergeHub<K, T>({
    capacity: assertInteger('capacity', filled.capacity, 1),
    onRemove: assertOneOf('onRemove', filled.onRemove, ['drain', 'discard'] as const),
    completeWhenEmpty: assertBoolean('completeWhenEmpty', filled.completeWhenEmpty),
    signal: assertSignal('signal', filled.signal),
  });
  for (const pair of sources) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(expected('sources', 'an iterable of [key, Observable] pairs', pair));
    }
    hub.add(pair[0], pair[1]);
  }
  return new Merger(hub);
}
