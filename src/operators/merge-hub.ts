/**
 * The shared state of a round-robin merge: its sources, its live runs, its per-key counters.
 *
 * @internal
 */
import type { Observable, TeardownLogic } from 'rxjs';
import { onAbort } from '../internal/abort.js';
import { expected } from '../internal/validate.js';
import { assertObservable } from './assert-observable.js';
import type { Demand } from './demand.js';
import type { FlowSink } from './flow-sink.js';
import { MergeRun } from './merge-run.js';
import type { KeyMeter, RunContext } from './merge-run.js';
import type { RoundRobinMergeStats } from './round-robin-merge-stats.js';
import type { RoundRobinSourceStats } from './round-robin-source-stats.js';

/** Validated settings of one merge. */
export interface MergeSettings {
  readonly capacity: number;
  readonly onRemove: 'drain' | 'discard';
  readonly completeWhenEmpty: boolean;
  readonly signal: AbortSignal | undefined;
}

/** Sources, runs and counters of one merge. */
export class MergeHub<K, T> {
  readonly #settings: MergeSettings;
  readonly #sources = new Map<K, Observable<T>>();
  readonly #runs = new Set<MergeRun<K, T>>();
  readonly #meters = new Map<K, KeyMeter>();
  readonly #context: RunContext<K>;
  #ended = false;

  constructor(settings: MergeSettings) {
    this.#settings = settings;
    this.#context = {
      capacity: settings.capacity,
      completeWhenEmpty: settings.completeWhenEmpty,
      meter: (key) => this.#meter(key),
      ended: () => this.#ended,
    };
  }

  /** Runs one subscription. */
  open(sink: FlowSink<T>, demand: Demand): TeardownLogic {
    const stopWatching = onAbort(this.#settings.signal, (reason) => sink.error(reason));
    if (sink.closed) return stopWatching;
    const run = new MergeRun<K, T>(sink, demand, this.#context);
    this.#runs.add(run);
    // A snapshot: a source added from inside an emission is attached through #runs instead.
    for (const [key, source] of [...this.#sources]) run.attach(key, source);
    run.start();
    return () => {
      stopWatching();
      this.#runs.delete(run);
      run.close();
    };
  }

  add(key: K, source: Observable<T>): void {
    if (this.#ended) throw new TypeError(`Cannot add source ${describe(key)}: end() was called`);
    if (this.#sources.has(key)) {
      throw new TypeError(expected('key', 'a key not already in the merge', key));
    }
    assertObservable<T>('source', source);
    this.#sources.set(key, source);
    this.#meter(key).active = true;
    for (const run of [...this.#runs]) run.attach(key, source);
  }

  remove(key: K, onRemove: 'drain' | 'discard' = this.#settings.onRemove): boolean {
    if (onRemove !== 'drain' && onRemove !== 'discard') {
      throw new TypeError(expected('onRemove', "one of 'drain', 'discard'", onRemove));
    }
    if (!this.#sources.delete(key)) return false;
    this.#meter(key).active = false;
    for (const run of [...this.#runs]) run.detach(key, onRemove);
    return true;
  }

  has(key: K): boolean {
    return this.#sources.has(key);
  }

  keys(): K[] {
    return [...this.#sources.keys()];
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const run of [...this.#runs]) run.poke();
  }

  stats(): RoundRobinMergeStats<K> {
    const sources: RoundRobinSourceStats<K>[] = [];
    let buffered = 0;
    let delivered = 0;
    let drained = 0;
    let discarded = 0;
    for (const [key, meter] of this.#meters) {
      sources.push(Object.freeze({ key, ...meter }));
      buffered += meter.buffered;
      delivered += meter.delivered;
      drained += meter.drained;
      discarded += meter.discarded;
    }
    return Object.freeze({
      capacity: this.#settings.capacity,
      buffered,
      delivered,
      drained,
      discarded,
      sources: Object.freeze(sources),
    });
  }

  #meter(key: K): KeyMeter {
    let meter = this.#meters.get(key);
    if (meter === undefined) {
      meter = {
        active: false,
        buffered: 0,
        requested: 0,
        received: 0,
        delivered: 0,
        drained: 0,
        discarded: 0,
      };
      this.#meters.set(key, meter);
    }
    return meter;
  }
}

function describe(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}
