import type { Observable } from 'rxjs';
import {
  assertBoolean,
  assertFunction,
  assertInteger,
  assertSignal,
  expected,
} from '../internal/validate.js';
import type { JobRunner } from '../pool/job-runner.js';
import { assertObservable } from './assert-observable.js';
import { Flowable } from './flowable.js';
import type { MapInPoolOptions } from './map-in-pool-options.js';
import type { MapInPoolStats } from './map-in-pool-stats.js';
import { mergeOptions } from './merge-options.js';
import { newPoolMeter, poolProducer } from './pool-producer.js';
import type { PoolSettings } from './pool-producer.js';
import type { StageOperator } from './stage-operator.js';

interface FilledOptions<I> {
  readonly concurrency: number;
  readonly capacity: number | undefined;
  readonly ordered: boolean;
  readonly signal: AbortSignal | undefined;
  readonly transfer: MapInPoolOptions<I>['transfer'];
  readonly timeoutMs: number | undefined;
}

const DEFAULTS: FilledOptions<unknown> = Object.freeze({
  concurrency: 1,
  capacity: undefined,
  ordered: true,
  signal: undefined,
  transfer: undefined,
  timeoutMs: undefined,
});

/**
 * Runs each item as a job on a {@link JobRunner} (such as the `JobExecutor`), at most
 * `concurrency` at once, and emits the results.
 *
 * @remarks
 * **Backpressure.** The stage holds at most `capacity` items: running jobs plus finished results
 * not yet emitted. It asks upstream for an item only when a job slot is free and the stage has
 * room, so the read-ahead from a demand-aware upstream never exceeds `capacity` (with RxJS
 * `mergeMap` it is unbounded: the whole source is read before the first result). Over a plain
 * `Observable` upstream, items that arrive faster than slots free up are buffered up to
 * `capacity`, then the stream fails with `QueueOverflowError`.
 *
 * **Ordering.** With `ordered: true` (the default) results are emitted in source order; a slow
 * item at the head holds back the later results, and once the stage is full intake stops until
 * the head finishes, so memory stays bounded. With `ordered: false` results are emitted as jobs
 * finish.
 *
 * **Failure.** The first job that rejects fails the stream with its error (the remaining jobs are
 * aborted); wrap the runner to skip or retry instead. Completion is delivered once upstream has
 * completed and every result has been emitted.
 *
 * **Cancellation.** Every job is given an `AbortSignal`: the jobs of one subscription share it
 * (creating a signal per job would cost microseconds per item), and it is aborted when the stage
 * ends while jobs are running. So unsubscribing, an error, or aborting `signal` aborts every
 * running job at once (with `signal.reason` when `signal` caused it, an `AbortError`
 * `DOMException` otherwise) and unsubscribes upstream; `stats().aborted` counts them. A runner
 * must remove its abort listener when a job settles (the `JobExecutor` does). An already aborted
 * `signal` fails the subscription before upstream is touched.
 *
 * @typeParam I - Job input type.
 * @typeParam O - Job result type.
 * @param runner - Runs one job per call; only its `run(input, { signal, transfer, timeoutMs })`
 *   is used.
 * @param options - See {@link MapInPoolOptions}.
 * @returns The operator; its `stats()` gives a {@link MapInPoolStats} snapshot.
 * @throws `TypeError` or `RangeError` at once for invalid arguments.
 * @throws The first job's rejection, as an error notification.
 * @throws `QueueOverflowError` (as an error notification) when a plain upstream overruns
 *   `capacity`.
 * @example
 * ```ts
 * const runner: JobRunner<number, number> = { run: async (n) => n * n };
 * const squares = mapInPool(runner, { concurrency: 2 });
 * fromAsyncIterable([1, 2, 3]).pipe(squares).subscribe((n) => console.log(n)); // 1, 4, 9
 * ```
 */
export function mapInPool<I, O>(
  runner: JobRunner<I, O>,
  options?: MapInPoolOptions<I>,
): StageOperator<I, O, MapInPoolStats> {
  if (runner === null || typeof runner !== 'object' || typeof runner.run !== 'function') {
    throw new TypeError(expected('runner', 'an object with a `run` method', runner));
  }
  const filled = mergeOptions<FilledOptions<I>>(DEFAULTS, options);
  const concurrency = assertInteger('concurrency', filled.concurrency, 1);
  const settings: PoolSettings<I> = {
    concurrency,
    capacity:
      filled.capacity === undefined
        ? concurrency
        : assertInteger('capacity', filled.capacity, concurrency),
    ordered: assertBoolean('ordered', filled.ordered),
    signal: assertSignal('signal', filled.signal),
    transfer: filled.transfer,
    timeoutMs: filled.timeoutMs,
  };
  if (settings.transfer !== undefined) assertFunction('transfer', settings.transfer);
  const { timeoutMs } = settings;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    const error = typeof timeoutMs === 'number' ? RangeError : TypeError;
    throw new error(expected('timeoutMs', 'a number > 0', timeoutMs));
  }
  const meter = newPoolMeter();
  const operator = (source: Observable<I>): Flowable<O> =>
    new Flowable(poolProducer(assertObservable<I>('source', source), runner, settings, meter));
  const stats = (): MapInPoolStats =>
    Object.freeze({ concurrency, capacity: settings.capacity, ...meter });
  return Object.assign(operator, { stats });
}
