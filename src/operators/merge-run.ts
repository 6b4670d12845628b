/**
 * One subscription of a round-robin merge: per-source bounded queues, a rotation pointer, and
 * demand granted to each source only up to its free room.
 *
 * @internal
 */
import type { Observable, Observer } from 'rxjs';
import { QueueOverflowError } from '../errors.js';
import type { Demand } from './demand.js';
import { Fifo } from './fifo.js';
import type { FlowSink } from './flow-sink.js';
import type { FlowSubscription } from './flow-subscription.js';
import { Flowable } from './flowable.js';
import { Trampoline } from './trampoline.js';

/** Mutable counters of one key, shared by every subscription. */
export interface KeyMeter {
  active: boolean;
  buffered: number;
  requested: number;
  received: number;
  delivered: number;
  drained: number;
  discarded: number;
}

/** What a run needs from its merge. */
export interface RunContext<K> {
  readonly capacity: number;
  readonly completeWhenEmpty: boolean;
  meter(key: K): KeyMeter;
  ended(): boolean;
}

interface Entry<K, T> {
  readonly key: K;
  readonly queue: Fifo<T>;
  readonly meter: KeyMeter;
  upstream: FlowSubscription | undefined;
  unsubscribe: (() => void) | undefined;
  outstanding: number;
  done: boolean;
  removed: boolean;
}

/** The state of one subscription to a round-robin merge. */
export class MergeRun<K, T> {
  readonly #sink: FlowSink<T>;
  readonly #demand: Demand;
  readonly #context: RunContext<K>;
  readonly #entries: Entry<K, T>[] = [];
  readonly #drain = new Trampoline(() => this.#step());
  #pointer = 0;
  #started = false;

  constructor(sink: FlowSink<T>, demand: Demand, context: RunContext<K>) {
    this.#sink = sink;
    this.#demand = demand;
    this.#context = context;
  }

  /** Starts emitting (call once the initial sources are attached). */
  start(): void {
    this.#started = true;
    this.#demand.onRequest(() => this.#drain.run());
    this.#drain.run();
  }

  /** Subscribes a new source at the end of the rotation. */
  attach(key: K, source: Observable<T>): void {
    if (this.#sink.closed) return;
    const entry: Entry<K, T> = {
      key,
      queue: new Fifo<T>(),
      meter: this.#context.meter(key),
      upstream: undefined,
      unsubscribe: undefined,
      outstanding: 0,
      done: false,
      removed: false,
    };
    this.#entries.push(entry);
    const paced = source instanceof Flowable;
    const observer: Observer<T> = {
      next: (item) => {
        if (this.#sink.closed || entry.removed) return;
        if (!paced && entry.queue.length >= this.#context.capacity) {
          entry.meter.received += 1;
          entry.meter.discarded += 1;
          this.#sink.error(new QueueOverflowError(this.#context.capacity));
          return;
        }
        if (paced) entry.outstanding -= 1;
        entry.queue.push(item);
        entry.meter.received += 1;
        entry.meter.buffered += 1;
        this.#drain.run();
      },
      error: (err: unknown) => this.#sink.error(err),
      complete: () => {
        entry.done = true;
        this.#drain.run();
      },
    };
    if (paced) {
      const upstream = (source as Flowable<T>).subscribeWithDemand(observer);
      if (entry.removed || this.#sink.closed) upstream.unsubscribe();
      else entry.upstream = upstream;
    } else {
      // A plain Observable cannot be paused: it is never asked, and overrunning fails.
      entry.meter.requested = Infinity;
      const subscription = source.subscribe(observer);
      if (entry.removed || this.#sink.closed) subscription.unsubscribe();
      else entry.unsubscribe = () => subscription.unsubscribe();
    }
    this.#drain.run();
  }

  /** Unsubscribes a source; its held items stay in the rotation or are discarded. */
  detach(key: K, policy: 'drain' | 'discard'): void {
    const index = this.#entries.findIndex((e) => e.key === key && !e.removed);
    if (index < 0) return;
    const entry = this.#entries[index] as Entry<K, T>;
    entry.removed = true;
    entry.outstanding = 0;
    this.#release(entry);
    if (policy === 'discard') this.#discard(entry);
    this.#drain.run();
  }

  /** Re-checks completion (after `end()`). */
  poke(): void {
    this.#drain.run();
  }

  /** Tears the run down: every source unsubscribed, every held item discarded. */
  close(): void {
    for (const entry of this.#entries.splice(0)) {
      entry.removed = true;
      this.#release(entry);
      this.#discard(entry);
    }
  }

  #release(entry: Entry<K, T>): void {
    entry.upstream?.unsubscribe();
    entry.upstream = undefined;
    entry.unsubscribe?.();
    entry.unsubscribe = undefined;
  }

  #discard(entry: Entry<K, T>): void {
    const n = entry.queue.clear().length;
    entry.meter.buffered -= n;
    entry.meter.discarded += n;
  }

  #step(): void {
    const sink = this.#sink;
    while (this.#demand.credit > 0 && !sink.closed) {
      const index = this.#pick();
      if (index < 0) break;
      const entry = this.#entries[index] as Entry<K, T>;
      const item = entry.queue.shift();
      entry.meter.buffered -= 1;
      if (entry.removed) entry.meter.drained += 1;
      else entry.meter.delivered += 1;
      this.#pointer = index + 1;
      sink.next(item);
    }
    if (sink.closed) return;
    this.#prune();
    for (const entry of this.#entries) {
      if (entry.done || entry.removed || entry.upstream === undefined) continue;
      const room = this.#context.capacity - entry.queue.length - entry.outstanding;
      if (room > 0) {
        entry.outstanding += room;
        entry.meter.requested += room;
        entry.upstream.request(room);
      }
    }
    if (
      this.#started &&
      this.#entries.length === 0 &&
      (this.#context.completeWhenEmpty || this.#context.ended())
    ) {
      sink.complete();
    }
  }

  /** The first entry with a held item, starting at the rotation pointer; -1 if none. */
  #pick(): number {
    const n = this.#entries.length;
    for (let k = 0; k < n; k++) {
      const index = (this.#pointer + k) % n;
      if ((this.#entries[index] as Entry<K, T>).queue.length > 0) return index;
    }
    return -1;
  }

  /** Drops entries that are finished (completed or removed) and empty, keeping the pointer. */
  #prune(): void {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i] as Entry<K, T>;
      if ((entry.done || entry.removed) && entry.queue.length === 0) {
        this.#entries.splice(i, 1);
        if (this.#pointer > i) this.#pointer -= 1;
      }
    }
  }
}
