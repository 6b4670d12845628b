/**
 * The stream `roundRobinMerge` returns: a Flowable whose producer is the hub's `open`, with the
 * hub's handle methods.
 *
 * @internal
 */
import type { Observable } from 'rxjs';
import { Flowable } from './flowable.js';
import type { MergeHub } from './merge-hub.js';
import type { RoundRobinMergeStats } from './round-robin-merge-stats.js';
import type { RoundRobinMerger } from './round-robin-merger.js';

/** A round-robin merge stream and its handle. */
export class Merger<K, T> extends Flowable<T> implements RoundRobinMerger<K, T> {
  readonly #hub: MergeHub<K, T>;

  constructor(hub: MergeHub<K, T>) {
    super((sink, demand) => hub.open(sink, demand));
    this.#hub = hub;
  }

  add(key: K, source: Observable<T>): void {
    this.#hub.add(key, source);
  }

  remove(key: K, onRemove?: 'drain' | 'discard'): boolean {
    return this.#hub.remove(key, onRemove);
  }

  has(key: K): boolean {
    return this.#hub.has(key);
  }

  keys(): K[] {
    return this.#hub.keys();
  }

  end(): void {
    this.#hub.end();
  }

  stats(): RoundRobinMergeStats<K> {
    return this.#hub.stats();
  }
}
