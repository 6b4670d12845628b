import type { Observable } from 'rxjs';
import { assertNumber, expected } from '../internal/validate.js';
import type { Backend, BackendEvents } from './backend.js';
import { assertCloneableInput, resolveMapOptions, resolveRunOptions } from './call-options.js';
import type { CloseOptions } from './close-options.js';
import type { Settlement } from './core-job.js';
import { ExecutorCore } from './executor-core.js';
import { mapJobs } from './executor-map.js';
import { runAllJobs } from './executor-run-all.js';
import type { ExecutorReport } from './executor-report.js';
import { InProcessBackend } from './in-process-backend.js';
import type { JobExecutorOptions } from './job-executor-options.js';
import type { JobOutcome } from './job-outcome.js';
import type { JobRunner } from './job-runner.js';
import type { MapOptions } from './map-options.js';
import type { MapSource } from './map-source.js';
import { assertSource } from './open-map-source.js';
import { resolveExecutorOptions, type ResolvedExecutorOptions } from './resolve-options.js';
import type { RunAllOptions } from './run-all-options.js';
import type { RunOptions } from './run-options.js';
import { TinypoolBackend } from './tinypool-backend.js';

/**
 * A pool of worker threads (or processes) that runs jobs from a module file, never hangs when a
 * worker fails, and keeps memory bounded.
 *
 * @remarks
 * **Jobs.** The worker module exports a job function `(input, context) => result` (as `default`,
 * or under `name`), and optionally `workerInit(info)`, run once per worker before its first job,
 * and `workerTeardown()`, run on `close()` in debug mode (worker threads and processes are
 * terminated instead).
 * Inputs and results are structured-cloned; `ArrayBuffer`s listed in `transfer` move to the
 * worker, and those found in results move back (`transferResults`), so 1 MiB results are not
 * copied.
 *
 * **Capacity and backpressure.** At most `workers` jobs run and `maxQueue` more wait; `run()`
 * and `map()` wait for room (callers queue in order), `tryPut()` refuses when full. A job keeps
 * its place until its worker is free again, even after its caller was answered (abort, timeout),
 * so the executor never has more work in flight than its capacity.
 *
 * **Failure.** A job function that throws fails that job with `JobFailedError` (the worker
 * stack in `workerStack`), and the worker is reused. A worker that exits (`process.exit()`),
 * dies of an uncaught error or runs out of memory is replaced, and its job is re-run up to
 * `maxRetries` times before failing with `WorkerExitedError` or `WorkerOutOfMemoryError`. A job
 * past its `timeoutMs` fails with `JobTimeoutError` and its worker is replaced. If a worker dies
 * before it finished starting, the module cannot run here: every job fails with
 * `WorkerModuleError` and the executor reports `state: 'broken'` (close it).
 *
 * **Cancellation.** An aborted `signal` removes a waiting or queued job at once; a running job's
 * caller is answered at once with `signal.reason`, the job's own `context.signal` aborts in the
 * worker, and if the job has not returned `abortGraceMs` later its worker is terminated and
 * replaced. `reset()` does the same to every job of the current session; their results are never
 * delivered.
 *
 * **Shutdown.** `close()` refuses new jobs, drops queued ones (`ExecutorClosedError`), lets
 * running ones finish up to its timeout, then terminates the workers. Idle workers never keep
 * the process alive, closed or not; jobs in the executor do, until they settle.
 *
 * **TypeScript worker modules.** From compiled JavaScript, workers start from lightdl's compiled
 * worker entry and load a `.js` module with `import()`; a `.ts`/`.mts`/`.cts` module is loaded
 * through tsx's `tsImport`, so tsx must be installed (otherwise jobs fail with a
 * `WorkerModuleError` saying so). When lightdl itself runs from its TypeScript sources (under
 * vitest or tsx), Node's worker threads cannot load TypeScript on their own (`--import tsx` in
 * `execArgv` is ignored for ES module workers), so workers start from a small `data:` module that
 * loads the TypeScript worker entry through `tsImport`.
 *
 * **Debug mode.** With `debug: true`, jobs run in the main thread through the same wrapper code,
 * so breakpoints in the job function are hit.
 *
 * @typeParam I - Job input.
 * @typeParam O - Job result.
 * @example
 * ```ts
 * // double.worker.ts: export default (n: number) => n * 2;
 * await using ex = new JobExecutor<number, number>({
 *   module: new URL('./double.worker.js', import.meta.url),
 *   workers: 2,
 *   maxQueue: 4,
 *   seed: 7,
 * });
 * console.log(await ex.run(21)); // 42
 * for await (const doubled of ex.map([1, 2, 3])) console.log(doubled); // 2, 4, 6
 * console.log(await ex.runAll([4, 5])); // [8, 10]
 * ```
 */
export class JobExecutor<I = unknown, O = unknown> implements JobRunner<I, O>, AsyncDisposable {
  readonly #options: ResolvedExecutorOptions;
  readonly #core: ExecutorCore;

  /**
   * Starts the workers (they load the module in the background).
   *
   * @param options - See {@link JobExecutorOptions}; `module` is required.
   * @throws `TypeError` or `RangeError` at once for invalid options, e.g.
   *   ``Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `0` (number)``.
   */
  constructor(options: JobExecutorOptions) {
    this.#options = resolveExecutorOptions(options);
    const createBackend = (o: ResolvedExecutorOptions, events: BackendEvents): Backend =>
      o.debug ? new InProcessBackend(o, events) : new TinypoolBackend(o, events);
    this.#core = new ExecutorCore(this.#options, createBackend);
  }

  /**
   * Every job's {@link JobOutcome}, in completion order: jobs from `run`, `tryPut`, `map` and
   * `runAll` alike.
   *
   * @remarks
   * A hot stream: subscribers see outcomes from the moment they subscribe. Outcomes of a session
   * ended by `reset()` are never emitted. Completes when the executor has closed. It has no
   * backpressure of its own: it emits at most as fast as jobs finish, and the executor's capacity
   * bounds how many are in flight.
   */
  get results$(): Observable<JobOutcome<O>> {
    return this.#core.results$ as Observable<JobOutcome<O>>;
  }

  /**
   * Runs one job, waiting for room in the executor first.
   *
   * @param input - The job's input (structured-cloned, or moved for what `transfer` lists).
   * @param options - `signal`, `transfer`, `timeoutMs`, and an `index` for `results$`.
   * @returns The job function's result.
   * @throws `TypeError`/`RangeError` (as a rejection) for invalid options or an input that cannot
   *   be cloned.
   * @throws {@link JobFailedError} when the job function threw.
   * @throws {@link WorkerExitedError} / {@link WorkerOutOfMemoryError} when its worker died on
   *   every attempt.
   * @throws {@link JobTimeoutError} past `timeoutMs`.
   * @throws {@link WorkerModuleError} when the module or its `workerInit` failed.
   * @throws {@link SessionResetError} when `reset()` dropped it.
   * @throws {@link ExecutorClosedError} when the executor is or becomes closed.
   * @throws `signal.reason` when aborted.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * const ac = new AbortController();
   * const result = await ex.run(21, { signal: ac.signal, timeoutMs: 5_000 });
   * ```
   */
  run(input: I, options?: RunOptions): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      // Thrown here (bad options, uncloneable input, an aborted signal) becomes the rejection.
      const resolved = resolveRunOptions(options, this.#options.timeoutMs);
      resolved.signal?.throwIfAborted();
      assertCloneableInput(input);
      this.#core.submit({ input, ...resolved, onSettle: settleInto(resolve, reject) }, true);
    });
  }

  /**
   * Submits a job only if there is room right now; its outcome arrives on `results$`.
   *
   * @remarks
   * This is the callback style: tag jobs with `options.index` (or carry an id in the input) to
   * match outcomes with inputs.
   *
   * @param input - The job's input.
   * @param options - `signal`, `transfer`, `timeoutMs`, `index`.
   * @returns `true` if the job was taken; `false` only when every slot (running and queued) is
   *   full.
   * @throws `TypeError`/`RangeError` for invalid options or an input that cannot be cloned.
   * @throws {@link ExecutorClosedError} when the executor is closing or closed.
   * @throws {@link WorkerModuleError} when the executor is broken (a worker could not start).
   * @throws `signal.reason` when `signal` is already aborted.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * ex.results$.subscribe((o) => console.log(o.index, o.ok ? o.result : o.error));
   * let i = 0;
   * while (i < 100 && ex.tryPut(i, { index: i })) i++;
   * ```
   */
  tryPut(input: I, options?: RunOptions): boolean {
    const resolved = resolveRunOptions(options, this.#options.timeoutMs);
    resolved.signal?.throwIfAborted();
    assertCloneableInput(input);
    const refusal = this.#core.refusal();
    if (refusal !== undefined) throw refusal;
    return this.#core.submit({ input, ...resolved, onSettle: () => {} }, false);
  }

  /**
   * Runs every item of `source` as a job and yields the results as they are ready, with bounded
   * read-ahead.
   *
   * @remarks
   * **Backpressure.** At most `concurrency` items of this map are pending at once (running,
   * waiting for room, or finished but not yet consumed); the source is read only when one fewer
   * is pending, so a slow consumer stalls the source instead of growing memory. An `Observable`
   * source cannot be paused: it is buffered up to `sourceBufferSize`.
   *
   * **Ordering.** `ordered: true` (the default) yields in source order; `false` as jobs finish.
   * A result that finishes ahead of an earlier one waits for it and still counts as pending, so
   * an ordered map reads twice as far ahead by default (`2 × (workers + maxQueue)`): one slow job
   * does not leave the workers without work while the results behind it wait.
   *
   * **Failure.** Without `settle`, the first failed job throws its error (in its turn when
   * ordered) and ends the map; with `settle: true`, every input yields a {@link JobOutcome}.
   *
   * **Cancellation.** Leaving the loop (`break`, `return`, a throw) or aborting `signal` aborts the
   * map's pending jobs, their results are dropped, and the source is closed (`return()` or
   * unsubscribe). An already aborted `signal` rejects the first `next()` without reading the
   * source.
   *
   * @param source - An iterable, an async iterable or an `Observable` of inputs.
   * @param options - See {@link MapOptions}.
   * @returns An async iterable iterator of results (or outcomes with `settle: true`).
   * @throws `TypeError`/`RangeError` at once for an invalid source or options.
   * @throws The first job's error (without `settle`), the source's error, `signal.reason`, or
   *   `QueueOverflowError` for an `Observable` that overruns `sourceBufferSize`, from `next()`.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * for await (const doubled of ex.map([1, 2, 3, 4], { ordered: false, concurrency: 2 })) {
   *   if (doubled > 4) break; // pending jobs are aborted
   * }
   * ```
   */
  map(
    source: MapSource<I>,
    options: MapOptions<I> & { readonly settle: true },
  ): AsyncIterableIterator<JobOutcome<O>>;
  map(
    source: MapSource<I>,
    options?: MapOptions<I> & { readonly settle?: false },
  ): AsyncIterableIterator<O>;
  map(source: MapSource<I>, options?: MapOptions<I>): AsyncIterableIterator<O | JobOutcome<O>>;
  map(source: MapSource<I>, options?: MapOptions<I>): AsyncIterableIterator<O | JobOutcome<O>> {
    assertSource(source);
    const resolved = resolveMapOptions(options, {
      concurrency: this.#core.capacity,
      orderedConcurrency: 2 * this.#core.capacity,
      timeoutMs: this.#options.timeoutMs,
    });
    return mapJobs<I, O>(source, resolved, (input, jobOptions, onSettle) => {
      assertCloneableInput(input);
      return this.#core.submitCancellable({ input, ...jobOptions, signal: undefined, onSettle });
    });
  }

  /**
   * Runs every input as a job and resolves with all results in submission order.
   *
   * @remarks
   * At most `concurrency` inputs are in the executor at once (running or waiting for room); the
   * source is read as jobs finish. Without `settle`, the first job to fail rejects the call with
   * its error and the other pending jobs are aborted; with `settle: true`, it resolves with one
   * {@link JobOutcome} per input. Aborting `signal` aborts the pending jobs and rejects with
   * `signal.reason`; the source is closed (`return()` or unsubscribe) whenever the call ends
   * early.
   *
   * @param inputs - An iterable, an async iterable or an `Observable` of inputs.
   * @param options - See {@link RunAllOptions}.
   * @returns The results (or outcomes), in input order.
   * @throws `TypeError`/`RangeError` (as a rejection) for invalid arguments.
   * @throws The first job's error without `settle`; `signal.reason` when aborted.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * const doubled = await ex.runAll([1, 2, 3]); // [2, 4, 6]
   * const outcomes = await ex.runAll([1, 2, 3], { settle: true });
   * ```
   */
  runAll(
    inputs: MapSource<I>,
    options: RunAllOptions<I> & { readonly settle: true },
  ): Promise<JobOutcome<O>[]>;
  runAll(
    inputs: MapSource<I>,
    options?: RunAllOptions<I> & { readonly settle?: false },
  ): Promise<O[]>;
  runAll(inputs: MapSource<I>, options?: RunAllOptions<I>): Promise<(O | JobOutcome<O>)[]>;
  async runAll(inputs: MapSource<I>, options?: RunAllOptions<I>): Promise<(O | JobOutcome<O>)[]> {
    assertSource(inputs);
    const resolved = resolveMapOptions(options, {
      concurrency: this.#core.capacity,
      timeoutMs: this.#options.timeoutMs,
    });
    return runAllJobs<I, O>(inputs, resolved, (input, jobOptions, onSettle) => {
      assertCloneableInput(input);
      return this.#core.submitCancellable({ input, ...jobOptions, signal: undefined, onSettle });
    });
  }

  /**
   * An immutable snapshot of the executor: occupancy, counters, per-worker state, and wait/run
   * time percentiles.
   *
   * @returns A frozen {@link ExecutorReport}.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * const { running, queued, completed, restarts } = ex.report();
   * ```
   */
  report(): ExecutorReport {
    return this.#core.report();
  }

  /**
   * Starts a new job session: waiting and queued jobs are dropped and running ones aborted, all
   * rejecting with {@link SessionResetError}; their outcomes never reach `results$`.
   *
   * @remarks
   * Running jobs are told through their `context.signal` and terminated (with their worker) if
   * they have not returned `abortGraceMs` later; until then they keep their place in the
   * executor. Does nothing on a closed executor.
   *
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * ex.reset(); // e.g. at the start of a new epoch
   * ```
   */
  reset(): void {
    this.#core.reset();
  }

  /**
   * Closes the executor: refuses new jobs, drops waiting and queued ones
   * ({@link ExecutorClosedError}), lets running ones finish for up to `timeoutMs`, then
   * terminates every worker (jobs still running fail with `ExecutorClosedError`).
   *
   * @remarks
   * Idempotent: every call returns the same promise. `results$` completes when it resolves.
   * Afterwards no worker, timer or handle of the executor is left.
   *
   * @param options - `timeoutMs`, defaulting to the executor's `closeTimeoutMs`.
   * @returns A promise that resolves once every worker has exited.
   * @throws `TypeError`/`RangeError` (as a rejection) for an invalid `timeoutMs`.
   * @example
   * ```ts
   * declare const ex: JobExecutor<number, number>;
   * await ex.close({ timeoutMs: 2_000 });
   * ```
   */
  close(options?: CloseOptions): Promise<void> {
    let timeoutMs = this.#options.closeTimeoutMs;
    try {
      if (options !== undefined && (options === null || typeof options !== 'object')) {
        throw new TypeError(expected('options', 'an object', options));
      }
      if (options?.timeoutMs !== undefined)
        timeoutMs = assertNumber('timeoutMs', options.timeoutMs, 0);
    } catch (error) {
      if (error instanceof Error) return Promise.reject(error);
      throw error;
    }
    return this.#core.close(timeoutMs);
  }

  /**
   * `close()` with the executor's `closeTimeoutMs`, for `await using`.
   *
   * @returns A promise that resolves once every worker has exited.
   * @example
   * ```ts
   * {
   *   await using ex = new JobExecutor({ module: './double.worker.js', workers: 1 });
   *   await ex.run(1);
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function settleInto<O>(resolve: (value: O) => void, reject: (error: unknown) => void) {
  return (settlement: Settlement): void => {
    if (settlement.ok) resolve(settlement.value as O);
    else reject(settlement.error);
  };
}
