/**
 * Turns what `map()` accepts (an iterable, an async iterable or an Observable) into one async
 * iterator. Iterables are pulled on demand; an Observable, which cannot be paused, is buffered up
 * to a bound and fails with `QueueOverflowError` beyond it.
 *
 * @internal
 */
import type { Observable, Subscription } from 'rxjs';
import { QueueOverflowError } from '../errors.js';
import { isObservableOnDemand } from '../internal/rxjs-on-demand.js';
import { expected } from '../internal/validate.js';
import type { MapSource } from './map-source.js';

/** Throws a `TypeError` unless `source` is an iterable, an async iterable or an Observable. */
export function assertSource(source: unknown): void {
  if (
    isObservableOnDemand(source) ||
    (source !== null &&
      source !== undefined &&
      (typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ||
        typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'))
  ) {
    return;
  }
  throw new TypeError(
    expected('source', 'an iterable, an async iterable or an Observable', source),
  );
}

/** An async iterator over `source`; `bufferSize` bounds what an Observable may push ahead. */
export function openSource<T>(source: MapSource<T>, bufferSize: number): AsyncIterator<T> {
  if (isObservableOnDemand(source)) return observableIterator(source, bufferSize);
  const asyncIterable = source as Partial<AsyncIterable<T>>;
  const asyncIteratorOf = asyncIterable[Symbol.asyncIterator];
  if (typeof asyncIteratorOf === 'function') return asyncIteratorOf.call(source);
  const iterator = (source as Iterable<T>)[Symbol.iterator]();
  return {
    // The executor turns a throwing `next()` into a rejection.
    next: () => new Promise<IteratorResult<T>>((resolve) => resolve(iterator.next())),
    return: () => {
      try {
        iterator.return?.();
      } catch {
        // a failing cleanup must not mask the map's own outcome
      }
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

function observableIterator<T>(source: Observable<T>, bufferSize: number): AsyncIterator<T> {
  const buffer: T[] = [];
  let end: { error: unknown } | { complete: true } | undefined;
  let waiting:
    { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  let subscription: Subscription | undefined;
  const settleWaiting = (): void => {
    if (waiting === undefined) return;
    const w = waiting;
    if (buffer.length > 0) {
      waiting = undefined;
      w.resolve({ done: false, value: buffer.shift()! });
    } else if (end !== undefined) {
      waiting = undefined;
      if ('error' in end) w.reject(end.error);
      else w.resolve({ done: true, value: undefined });
    }
  };
  const start = (): void => {
    subscription = source.subscribe({
      next: (value) => {
        if (end !== undefined) return;
        if (buffer.length >= bufferSize && waiting === undefined) {
          end = { error: new QueueOverflowError(bufferSize) };
          subscription?.unsubscribe();
        } else {
          buffer.push(value);
        }
        settleWaiting();
      },
      error: (error: unknown) => {
        end ??= { error };
        settleWaiting();
      },
      complete: () => {
        end ??= { complete: true };
        settleWaiting();
      },
    });
    // A synchronous overflow happens before `subscribe` returns.
    if (end !== undefined && 'error' in end) subscription.unsubscribe();
  };
  return {
    next: () =>
      new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = { resolve, reject };
        if (subscription === undefined) start();
        settleWaiting();
      }),
    return: () => {
      end ??= { complete: true };
      buffer.length = 0;
      subscription?.unsubscribe();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

/** The iterator of a synchronous iterable (not an Observable, not async), if `source` is one. */
export function syncIteratorOf<T>(source: MapSource<T>): Iterator<T> | undefined {
  if (isObservableOnDemand(source)) return undefined;
  if (typeof (source as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function') {
    return undefined;
  }
  return (source as Iterable<T>)[Symbol.iterator]();
}
