/**
 * The iterator behind `toAsyncIterable`: subscribes on the first `next()`, keeps at most
 * `highWaterMark` items (requesting exactly the free room from a demand-aware source), queues
 * concurrent `next()` calls in order.
 *
 * @internal
 */
import type { Observable, Observer, Unsubscribable } from 'rxjs';
import { QueueOverflowError } from '../errors.js';
import { onAbort } from '../internal/abort.js';
import type { BoundedAsyncIterator } from './bounded-async-iterator.js';
import { Fifo } from './fifo.js';
import type { FlowSubscription } from './flow-subscription.js';
import { Flowable } from './flowable.js';
import type { ToAsyncIterableStats } from './to-async-iterable-stats.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

interface Waiter<T> {
  resolve(result: IteratorResult<T, undefined>): void;
  reject(reason: unknown): void;
}

type Terminal = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown };

/** A single-use bounded async iterator over an Observable. */
export class BridgeIterator<T> implements BoundedAsyncIterator<T> {
  readonly #source: Observable<T>;
  readonly #highWaterMark: number;
  readonly #signal: AbortSignal | undefined;
  readonly #buffer = new Fifo<T>();
  readonly #waiting = new Fifo<Waiter<T>>();
  readonly #meter = {
    buffered: 0,
    maxBuffered: 0,
    requested: 0,
    received: 0,
    delivered: 0,
    dropped: 0,
  };
  #started = false;
  #finished = false;
  #terminal: Terminal | undefined;
  #subscription: Unsubscribable | undefined;
  #paced: FlowSubscription | undefined;
  #stopWatching: () => void = () => {};

  constructor(source: Observable<T>, highWaterMark: number, signal: AbortSignal | undefined) {
    this.#source = source;
    this.#highWaterMark = highWaterMark;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): BoundedAsyncIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return Promise.resolve(DONE);
    if (!this.#started) this.#start();
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift();
      this.#meter.buffered -= 1;
      this.#meter.delivered += 1;
      this.#replenish();
      return Promise.resolve({ done: false, value });
    }
    if (this.#terminal !== undefined) {
      this.#finished = true;
      // The source's error (or the abort reason) is passed on as is, whatever its type.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (this.#terminal.kind === 'error') return Promise.reject(this.#terminal.error);
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#finished) {
      this.#finished = true;
      this.#terminal ??= { kind: 'complete' };
      this.#release();
      this.#dropBuffer();
      for (const waiter of this.#waiting.clear()) waiter.resolve(DONE);
    }
    return Promise.resolve(DONE);
  }

  stats(): ToAsyncIterableStats {
    return Object.freeze({
      highWaterMark: this.#highWaterMark,
      ...this.#meter,
      waiting: this.#waiting.length,
    });
  }

  #start(): void {
    this.#started = true;
    const signal = this.#signal;
    if (signal?.aborted === true) {
      this.#terminal = { kind: 'error', error: signal.reason };
      return;
    }
    this.#stopWatching = onAbort(signal, (reason) => this.#fail(reason));
    const observer: Observer<T> = {
      next: (value) => this.#onNext(value),
      error: (err: unknown) => this.#fail(err),
      complete: () => this.#onComplete(),
    };
    if (this.#source instanceof Flowable) {
      const paced = (this.#source as Flowable<T>).subscribeWithDemand(observer);
      this.#subscription = paced;
      this.#paced = paced;
      this.#meter.requested += this.#highWaterMark;
      paced.request(this.#highWaterMark);
    } else {
      this.#meter.requested = Infinity;
      this.#subscription = this.#source.subscribe(observer);
    }
    // The source may have ended synchronously, before the subscription was stored.
    if (this.#terminal !== undefined) this.#release();
  }

  #onNext(value: T): void {
    if (this.#terminal !== undefined) return;
    this.#meter.received += 1;
    if (this.#waiting.length > 0) {
      this.#meter.delivered += 1;
      this.#waiting.shift().resolve({ done: false, value });
      this.#replenish();
      return;
    }
    if (this.#buffer.length >= this.#highWaterMark) {
      this.#meter.dropped += 1;
      this.#fail(new QueueOverflowError(this.#highWaterMark));
      return;
    }
    this.#buffer.push(value);
    this.#meter.buffered += 1;
    if (this.#buffer.length > this.#meter.maxBuffered)
      this.#meter.maxBuffered = this.#buffer.length;
  }

  #onComplete(): void {
    if (this.#terminal !== undefined) return;
    this.#terminal = { kind: 'complete' };
    this.#release();
    if (this.#buffer.length === 0) {
      this.#finished = true;
      for (const waiter of this.#waiting.clear()) waiter.resolve(DONE);
    }
  }

  /** Errors cut ahead of held items: those are dropped, the error is the next result. */
  #fail(error: unknown): void {
    if (this.#terminal !== undefined) return;
    this.#terminal = { kind: 'error', error };
    this.#release();
    this.#dropBuffer();
    if (this.#waiting.length > 0) {
      this.#finished = true;
      const [first, ...rest] = this.#waiting.clear();
      first?.reject(error);
      for (const waiter of rest) waiter.resolve(DONE);
    }
  }

  #replenish(): void {
    if (this.#paced === undefined || this.#terminal !== undefined) return;
    this.#meter.requested += 1;
    this.#paced.request(1);
  }

  #dropBuffer(): void {
    const n = this.#buffer.clear().length;
    this.#meter.buffered -= n;
    this.#meter.dropped += n;
  }

  #release(): void {
    this.#stopWatching();
    this.#stopWatching = () => {};
    const subscription = this.#subscription;
    this.#subscription = undefined;
    this.#paced = undefined;
    subscription?.unsubscribe();
  }
}
