import type { Observable } from 'rxjs';
import {
  assertBoolean,
  assertFunction,
  assertInteger,
  assertSignal,
} from '../internal/validate.js';
import { assertObservable } from './assert-observable.js';
import type { BatchOptions } from './batch-options.js';
import { batchProducer, newBatchMeter } from './batch-producer.js';
import type { BatchSettings } from './batch-producer.js';
import type { BatchStats } from './batch-stats.js';
import { Flowable } from './flowable.js';
import { mergeOptions } from './merge-options.js';
import type { StageOperator } from './stage-operator.js';

interface FilledOptions {
  readonly collate: ((items: unknown[], index: number) => unknown) | undefined;
  readonly emitPartial: boolean;
  readonly signal: AbortSignal | undefined;
}

const DEFAULTS: FilledOptions = Object.freeze({
  collate: undefined,
  emitPartial: true,
  signal: undefined,
});

const asArray = <T>(items: T[]): T[] => items;

/**
 * Groups items into batches of `size` and emits each batch as an array of its items.
 *
 * @remarks
 * **Backpressure.** The stage holds at most `size` items per subscription and asks upstream only
 * for the items missing from the batch it is filling: one batch is prefetched, and the next is
 * started only once it has been emitted (which needs downstream credit). Over a plain `Observable`
 * upstream, items arriving while a full batch waits for credit are buffered up to `size`, then the
 * stream fails with `QueueOverflowError`.
 *
 * **Ordering.** Items keep source order within and across batches. On completion the last partial
 * batch is emitted (unless `emitPartial` is `false`), then completion. An error is delivered at
 * once; the gathered items are dropped (counted).
 *
 * **Cancellation.** Unsubscribing or aborting `signal` (fails with `signal.reason`) unsubscribes
 * upstream at once.
 *
 * @typeParam T - Item type.
 * @param size - Items per batch: an integer ≥ 1.
 * @param options - See {@link BatchOptions}; without `collate`, a batch is the array of items.
 * @returns The operator; its `stats()` gives a {@link BatchStats} snapshot.
 * @throws `TypeError` or `RangeError` at once for invalid arguments.
 * @example
 * ```ts
 * fromAsyncIterable([1, 2, 3, 4, 5]).pipe(batch(2)).subscribe((b) => console.log(b));
 * // [1, 2], [3, 4], [5]
 * ```
 */
export function batch<T>(
  size: number,
  options?: BatchOptions<T, T[]>,
): StageOperator<T, T[], BatchStats>;
/**
 * Groups items into batches of `size` and emits what `collate` makes of each batch.
 *
 * @remarks
 * Same backpressure, ordering and cancellation as the array form; `collate` receives a fresh array
 * of the batch's items and the batch index, and its throw fails the stream.
 *
 * @typeParam T - Item type.
 * @typeParam R - Batch type.
 * @param size - Items per batch: an integer ≥ 1.
 * @param options - See {@link BatchOptions}, with `collate`.
 * @returns The operator; its `stats()` gives a {@link BatchStats} snapshot.
 * @throws `TypeError` or `RangeError` at once for invalid arguments.
 * @example
 * ```ts
 * const sums = batch(2, { collate: (items: number[]) => items.reduce((a, b) => a + b, 0) });
 * fromAsyncIterable([1, 2, 3, 4]).pipe(sums).subscribe((s) => console.log(s)); // 3, 7
 * ```
 */
export function batch<T, R>(
  size: number,
  options: BatchOptions<T, R> & { readonly collate: (items: T[], index: number) => R },
): StageOperator<T, R, BatchStats>;
export function batch<T, R>(
  size: number,
  options?: BatchOptions<T, R>,
): StageOperator<T, R, BatchStats> {
  assertInteger('size', size, 1);
  const filled = mergeOptions(DEFAULTS, options as FilledOptions | undefined);
  if (filled.collate !== undefined) assertFunction('collate', filled.collate);
  const settings: BatchSettings<T, R> = {
    size,
    collate: (filled.collate ?? asArray) as (items: T[], index: number) => R,
    emitPartial: assertBoolean('emitPartial', filled.emitPartial),
    signal: assertSignal('signal', filled.signal),
  };
  const meter = newBatchMeter();
  const operator = (source: Observable<T>): Flowable<R> =>
    new Flowable(batchProducer(assertObservable<T>('source', source), settings, meter));
  const stats = (): BatchStats => Object.freeze({ size, ...meter });
  return Object.assign(operator, { stats });
}
