/**
 * The per-subscription machinery of `batch`: gathers at most `size` items, asks upstream only for
 * the items missing from the current batch.
 *
 * @internal
 */
import type { Observable, Observer } from 'rxjs';
import { onAbort } from '../internal/abort.js';
import type { FlowProducer } from './flow-producer.js';
import type { FlowSubscription } from './flow-subscription.js';
import { subscribeUpstream } from './queue-producer.js';
import { Trampoline } from './trampoline.js';

/** Validated settings of one `batch` stage. */
export interface BatchSettings<T, R> {
  readonly size: number;
  readonly collate: (items: T[], index: number) => R;
  readonly emitPartial: boolean;
  readonly signal: AbortSignal | undefined;
}

/** Mutable counters of a stage, shared by its subscriptions. */
export interface BatchMeter {
  buffered: number;
  requested: number;
  received: number;
  batches: number;
  partial: number;
  delivered: number;
  dropped: number;
}

/** Fresh zeroed counters. */
export function newBatchMeter(): BatchMeter {
  return {
    buffered: 0,
    requested: 0,
    received: 0,
    batches: 0,
    partial: 0,
    delivered: 0,
    dropped: 0,
  };
}

/** The producer of one `batch` stage. */
export function batchProducer<T, R>(
  source: Observable<T>,
  settings: BatchSettings<T, R>,
  meter: BatchMeter,
): FlowProducer<R> {
  const { size, collate, emitPartial, signal } = settings;
  return (sink, demand) => {
    let items: T[] = [];
    let index = 0;
    let outstanding = 0;
    let upstreamDone = false;
    let upstream: FlowSubscription | undefined;

    const take = (): T[] => {
      const taken = items;
      items = [];
      meter.buffered -= taken.length;
      return taken;
    };

    const emit = (taken: T[]): void => {
      let value: R;
      try {
        value = collate(taken, index);
      } catch (err) {
        meter.dropped += taken.length;
        sink.error(err);
        return;
      }
      index += 1;
      meter.batches += 1;
      meter.delivered += taken.length;
      sink.next(value);
    };

    const drain = new Trampoline(() => {
      if (sink.closed) return;
      if (items.length === size && demand.credit > 0) emit(take());
      if (sink.closed) return;
      if (upstreamDone) {
        if (items.length === 0) {
          sink.complete();
        } else if (!emitPartial) {
          meter.dropped += take().length;
          sink.complete();
        } else if (demand.credit > 0) {
          meter.partial += 1;
          emit(take());
          sink.complete();
        }
        return;
      }
      const room = size - items.length - outstanding;
      if (upstream !== undefined && room > 0) {
        outstanding += room;
        meter.requested += room;
        upstream.request(room);
      }
    });

    const observer: Observer<T> = {
      next: (item) => {
        if (sink.closed) return;
        outstanding -= 1;
        items.push(item);
        meter.received += 1;
        meter.buffered += 1;
        drain.run();
      },
      error: (err: unknown) => sink.error(err),
      complete: () => {
        upstreamDone = true;
        drain.run();
      },
    };

    const stopWatching = onAbort(signal, (reason) => sink.error(reason));
    if (!sink.closed) {
      upstream = subscribeUpstream(source, observer, size);
      demand.onRequest(() => drain.run());
      drain.run();
    }

    return () => {
      stopWatching();
      upstream?.unsubscribe();
      meter.dropped += take().length;
    };
  };
}
