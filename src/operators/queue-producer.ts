/**
 * The bounded FIFO behind `boundedQueue`, also used by every stage to adapt a plain `Observable`
 * upstream (which cannot be paused) into a demand-aware one with a bounded buffer.
 *
 * @internal
 */
import { Subscription } from 'rxjs';
import type { Observable, Observer } from 'rxjs';
import { QueueOverflowError } from '../errors.js';
import { onAbort } from '../internal/abort.js';
import { Fifo } from './fifo.js';
import type { FlowProducer } from './flow-producer.js';
import type { FlowSubscription } from './flow-subscription.js';
import { Flowable } from './flowable.js';
import { Trampoline } from './trampoline.js';

/** Mutable counters of a queue, shared by its subscriptions. */
export interface QueueMeter {
  buffered: number;
  maxBuffered: number;
  requested: number;
  received: number;
  delivered: number;
  dropped: number;
}

/** Fresh zeroed counters. */
export function newQueueMeter(): QueueMeter {
  return { buffered: 0, maxBuffered: 0, requested: 0, received: 0, delivered: 0, dropped: 0 };
}

/**
 * A producer holding at most `capacity` items per subscription. With `'wait'` and a demand-aware
 * source it grants upstream exactly the free room (buffered + outstanding ≤ capacity); otherwise
 * it subscribes with unbounded demand and fails with `QueueOverflowError` on the item past
 * `capacity`. With `lazy`, the upstream is subscribed on the first grant rather than at once, so
 * a synchronous source meets a consumer that is already asking.
 */
export function queueProducer<T>(
  source: Observable<T>,
  capacity: number,
  overflow: 'wait' | 'error',
  meter: QueueMeter,
  signal: AbortSignal | undefined,
  lazy = false,
): FlowProducer<T> {
  return (sink, demand) => {
    const buffer = new Fifo<T>();
    const upstream = new Subscription();
    let paced: FlowSubscription | undefined;
    let outstanding = 0;
    let upstreamDone = false;

    const drain = new Trampoline(() => {
      while (demand.credit > 0 && buffer.length > 0 && !sink.closed) {
        const item = buffer.shift();
        meter.buffered -= 1;
        meter.delivered += 1;
        sink.next(item);
      }
      if (sink.closed) return;
      if (upstreamDone) {
        if (buffer.length === 0) sink.complete();
        return;
      }
      if (paced !== undefined) {
        const room = capacity - buffer.length - outstanding;
        if (room > 0) {
          outstanding += room;
          meter.requested += room;
          paced.request(room);
        }
      }
    });

    const observer: Observer<T> = {
      next: (item) => {
        if (sink.closed) return;
        meter.received += 1;
        if (paced !== undefined) outstanding -= 1;
        if (buffer.length >= capacity) {
          meter.dropped += 1;
          sink.error(new QueueOverflowError(capacity));
          return;
        }
        buffer.push(item);
        meter.buffered += 1;
        if (buffer.length > meter.maxBuffered) meter.maxBuffered = buffer.length;
        drain.run();
      },
      error: (err: unknown) => sink.error(err),
      complete: () => {
        upstreamDone = true;
        drain.run();
      },
    };

    let subscribed = false;
    const connect = (): void => {
      subscribed = true;
      if (overflow === 'wait' && source instanceof Flowable) {
        paced = (source as Flowable<T>).subscribeWithDemand(observer);
        upstream.add(paced);
      } else {
        meter.requested = Infinity;
        upstream.add(source.subscribe(observer));
      }
    };

    const stopWatching = onAbort(signal, (reason) => sink.error(reason));
    if (!sink.closed) {
      if (!lazy) connect();
      demand.onRequest(() => {
        if (!subscribed) connect();
        drain.run();
      });
      drain.run();
    }

    return () => {
      stopWatching();
      upstream.unsubscribe();
      const rest = buffer.clear().length;
      meter.buffered -= rest;
      meter.dropped += rest;
    };
  };
}

/**
 * Subscribes to `source` with demand: directly when it is a {@link Flowable}, else through a
 * bounded adapter of `capacity` items that subscribes on the first grant and fails with
 * `QueueOverflowError` when overrun.
 */
export function subscribeUpstream<T>(
  source: Observable<T>,
  observer: Observer<T>,
  capacity: number,
): FlowSubscription {
  const flowable =
    source instanceof Flowable
      ? (source as Flowable<T>)
      : new Flowable(queueProducer(source, capacity, 'error', newQueueMeter(), undefined, true));
  return flowable.subscribeWithDemand(observer);
}
