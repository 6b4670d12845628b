import { onAbort } from '../internal/abort.js';
import { assertSignal, expected } from '../internal/validate.js';
import type { Demand } from './demand.js';
import type { FlowSink } from './flow-sink.js';
import { Flowable } from './flowable.js';
import type { FromAsyncIterableOptions } from './from-async-iterable-options.js';
import { mergeOptions } from './merge-options.js';

interface FilledOptions {
  readonly signal: AbortSignal | undefined;
}

const DEFAULTS: FilledOptions = Object.freeze({ signal: undefined });

/**
 * A {@link Flowable} that pulls from an async (or sync) iterable only on demand, one `next()` at
 * a time, and releases the iterator at once on teardown.
 *
 * @remarks
 * **Backpressure.** Each subscription calls `[Symbol.asyncIterator]()` (or `[Symbol.iterator]()`)
 * and then `next()` only while it holds credit, never two `next()` calls at once. A plain
 * `subscribe()` grants unbounded credit, so the iterable is then pulled back to back (still one
 * item at a time; an endless sync iterable then never yields the thread, as with RxJS `from()`);
 * a demand-aware consumer such as {@link boundedQueue} or {@link toAsyncIterable} pulls only what
 * fits its bound. Use this function, not RxJS `of()` or `from(array)`, to feed arrays into the
 * stages of this module: those are plain Observables that cannot be paused.
 *
 * **Teardown.** On unsubscribe, abort, or a downstream error the iterator's `return()` is called
 * immediately (unlike RxJS `from()`, which waits for the next value to arrive), so an async
 * generator paused at a `yield` runs its `finally` right away. If a `next()` is still pending, the
 * language queues `return()` behind it: the generator's `finally` then runs as soon as that step
 * settles, and the value it yields is discarded. `return()` is not called after the iterator
 * finished or threw. Errors from `return()` are ignored (the subscriber is already gone).
 *
 * Iterables that return themselves from `[Symbol.asyncIterator]()` (generator objects) can be
 * consumed once: a second subscription sees what the first left.
 *
 * @typeParam T - Item type.
 * @param iterable - The source: an `AsyncIterable` or an `Iterable`.
 * @param options - See {@link FromAsyncIterableOptions}.
 * @returns A cold {@link Flowable}; each subscription iterates anew.
 * @throws `TypeError` at once when `iterable` is neither async-iterable nor iterable.
 * @example
 * ```ts
 * async function* patients() {
 *   try {
 *     yield 'p1';
 *     yield 'p2';
 *   } finally {
 *     console.log('released');
 *   }
 * }
 * const sub = fromAsyncIterable(patients()).subscribeWithDemand((id) => {
 *   console.log(id); // p1
 *   sub.unsubscribe(); // logs released at once; p2 is never pulled
 * });
 * sub.request(1);
 * ```
 */
export function fromAsyncIterable<T>(
  iterable: AsyncIterable<T> | Iterable<T>,
  options?: FromAsyncIterableOptions,
): Flowable<T> {
  const isAsync = isAsyncIterable<T>(iterable);
  if (!isAsync && !isIterable<T>(iterable)) {
    throw new TypeError(expected('iterable', 'an AsyncIterable or an Iterable', iterable));
  }
  const filled = mergeOptions(DEFAULTS, options);
  const signal = assertSignal('signal', filled.signal);
  return new Flowable<T>((sink, demand) => {
    const stopWatching = onAbort(signal, (reason) => sink.error(reason));
    if (sink.closed) return stopWatching;
    const pull = isAsync
      ? pullAsync(iterable[Symbol.asyncIterator](), sink, demand)
      : pullSync(iterable[Symbol.iterator](), sink, demand);
    return () => {
      stopWatching();
      pull.release();
    };
  });
}

interface Puller {
  release(): void;
}

function pullAsync<T>(iterator: AsyncIterator<T>, sink: FlowSink<T>, demand: Demand): Puller {
  let pulling = false;
  let finished = false;
  const loop = async (): Promise<void> => {
    pulling = true;
    try {
      while (demand.credit > 0 && !sink.closed) {
        const result = await iterator.next();
        if (sink.closed) return;
        if (result.done === true) {
          finished = true;
          sink.complete();
          return;
        }
        sink.next(result.value);
      }
    } catch (err) {
      finished = true;
      sink.error(err);
    } finally {
      pulling = false;
    }
  };
  demand.onRequest(() => {
    if (!pulling && !finished) void loop();
  });
  return { release: () => release(iterator, finished) };
}

function pullSync<T>(iterator: Iterator<T>, sink: FlowSink<T>, demand: Demand): Puller {
  let pulling = false;
  let finished = false;
  demand.onRequest(() => {
    if (pulling || finished) return;
    pulling = true;
    try {
      while (demand.credit > 0 && !sink.closed) {
        const result = iterator.next();
        if (result.done === true) {
          finished = true;
          sink.complete();
          return;
        }
        sink.next(result.value);
      }
    } catch (err) {
      finished = true;
      sink.error(err);
    } finally {
      pulling = false;
    }
  });
  return { release: () => release(iterator, finished) };
}

function release<T>(iterator: AsyncIterator<T> | Iterator<T>, finished: boolean): void {
  if (finished || typeof iterator.return !== 'function') return;
  try {
    const result = iterator.return();
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // The subscriber is gone; a failing return() has no one left to tell.
  }
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function'
  );
}

function isIterable<T>(value: unknown): value is Iterable<T> {
  return (
    value !== null &&
    value !== undefined &&
    typeof (value as Partial<Iterable<T>>)[Symbol.iterator] === 'function'
  );
}
