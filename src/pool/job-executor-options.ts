import type { ResourceLimits } from 'node:worker_threads';

/**
 * Options of {@link JobExecutor}. Only `module` is required.
 *
 * @example
 * ```ts
 * const options: JobExecutorOptions = {
 *   module: new URL('./double.worker.js', import.meta.url),
 *   workers: 2,
 *   maxQueue: 4,
 *   seed: 7,
 *   timeoutMs: 30_000,
 * };
 * ```
 */
export interface JobExecutorOptions {
  /**
   * The worker module: a `URL` (`new URL('./my.worker.js', import.meta.url)`), a `file:` URL
   * string, or a file path (relative paths resolve against the current directory). JavaScript
   * modules are loaded with `import()`; TypeScript modules (`.ts`, `.mts`, `.cts`) through tsx,
   * which must then be installed.
   */
  readonly module: string | URL;
  /**
   * The export holding the job function, a non-empty string.
   *
   * @defaultValue `'default'`
   */
  readonly name?: string;
  /**
   * How many workers: an integer ≥ 1; a fraction in (0, 1) of the CPUs
   * (`os.availableParallelism()`, rounded down, at least 1); or `-1` for one per CPU.
   *
   * @defaultValue `-1`
   */
  readonly workers?: number;
  /**
   * How many jobs may wait for a worker beyond the running ones: an integer ≥ 0. `workers +
   * maxQueue` is the executor's capacity: `run()` waits (and `tryPut()` returns `false`) while
   * that many jobs are in the executor.
   *
   * @defaultValue the number of workers
   */
  readonly maxQueue?: number;
  /**
   * Base seed, an integer in 0 … 2³² − 1. Worker `w` of generation `g` gets the seed
   * `deriveSeed(seed, w, g)`.
   *
   * @defaultValue `0`
   */
  readonly seed?: number;
  /**
   * Extra environment variables for the workers, on top of the current `process.env` (and of the
   * thread-count variables set by `threadsPerWorker`, which they override).
   *
   * @remarks
   * With `runtime: 'thread'`, a worker's `process.env` is a private copy: native code still sees
   * the process's real environment.
   *
   * @defaultValue `{}`
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Threads each worker's native libraries should use: sets `OMP_NUM_THREADS`, `MKL_NUM_THREADS`,
   * `OPENBLAS_NUM_THREADS`, `VECLIB_MAXIMUM_THREADS`, `NUMEXPR_NUM_THREADS`,
   * `TF_NUM_INTRAOP_THREADS`, `TF_NUM_INTEROP_THREADS` and `UV_THREADPOOL_SIZE` in the workers'
   * environment, so that N workers do not each start one thread per CPU. An integer ≥ 1, or
   * `null` to set none of them.
   *
   * @remarks
   * These variables take full effect with `runtime: 'process'`. Worker threads share the
   * process's native environment and its libuv pool (where sharp decodes), so with
   * `runtime: 'thread'` they are only visible to JavaScript (`process.env`); set
   * `UV_THREADPOOL_SIZE` before Node starts to size the shared pool.
   *
   * @defaultValue `1`
   */
  readonly threadsPerWorker?: number | null;
  /**
   * V8 heap limits per worker (Node's `ResourceLimits`, in MB). A worker that exceeds them dies
   * and its job fails with `WorkerOutOfMemoryError` (after `maxRetries`). With
   * `runtime: 'process'`, only `maxOldGenerationSizeMb` (as `--max-old-space-size`) and
   * `stackSizeMb` (as `--stack-size`) apply, and running out of memory ends the process: the job
   * fails with `WorkerExitedError`.
   *
   * @defaultValue `undefined` (Node's defaults)
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * `'thread'`: worker threads (fast; ArrayBuffers move without copying). `'process'`: child
   * processes (a native crash cannot take the main process down; data is serialized, never
   * moved, and is much slower for large buffers).
   *
   * @defaultValue `'thread'`
   */
  readonly runtime?: 'thread' | 'process';
  /**
   * How many times a job is re-run when its worker dies under it (exit, uncaught error, out of
   * memory): an integer ≥ 0. A job whose input was transferred is never re-run (its buffers are
   * gone). Job functions that throw, time out or are aborted are not retried.
   *
   * @defaultValue `1`
   */
  readonly maxRetries?: number;
  /**
   * Default per-job timeout in milliseconds, counted from the moment the job is handed to a
   * worker: a number ≥ 1, or `Infinity` for none. A job past it fails with `JobTimeoutError` and
   * its worker is replaced.
   *
   * @defaultValue `Infinity`
   */
  readonly timeoutMs?: number;
  /**
   * How long an aborted running job may take to stop on its own after its `signal` fired, in
   * milliseconds, before its worker is terminated and replaced: a number ≥ 0 (`Infinity`: never
   * terminate).
   *
   * @defaultValue `1000`
   */
  readonly abortGraceMs?: number;
  /**
   * How long `close()` (and `Symbol.asyncDispose`) lets running jobs finish, in milliseconds,
   * when not told otherwise: a number ≥ 0 or `Infinity`.
   *
   * @defaultValue `10000`
   */
  readonly closeTimeoutMs?: number;
  /**
   * Moves `ArrayBuffer`s found in results (also behind typed arrays and inside objects, arrays,
   * maps and sets) to the main thread instead of copying them. A worker must not reuse a buffer it
   * returned. Ignored with `runtime: 'process'`.
   *
   * @defaultValue `true`
   */
  readonly transferResults?: boolean;
  /**
   * Hands each worker thread its next job while it still runs one (when `maxQueue` leaves room),
   * so that it starts the next the moment it is done instead of waiting for a round trip through
   * the main thread; jobs still run one at a time in each worker. A job handed over ahead counts
   * as queued until it starts; a worker that dies before starting it passes it on to another
   * without counting an attempt, unless its input was moved there (`transfer`): such a job fails
   * with the worker's death error. Ignored with `runtime: 'process'` and `debug`.
   *
   * Turn it off when job durations vary widely and a job must never wait behind a long one on a
   * busy worker while another worker is free.
   *
   * @defaultValue `true`
   */
  readonly prefetch?: boolean;
  /**
   * Runs jobs in the main thread through the same wrapper code (module loading, `workerInit`,
   * seeding, structured cloning of inputs and results, error wrapping), so a debugger can step
   * into them. `workers` simulated workers run jobs concurrently; a module is loaded once and
   * shared by them; a job cannot be terminated (an abandoned job keeps running, its result is
   * dropped), and `process.exit()` in a job ends the whole process. Since in-process code is not
   * terminated on `close()`, the module's optional `workerTeardown()` export is called then (once
   * per module instance) to let go of what it holds, such as open files.
   *
   * @defaultValue `false`
   */
  readonly debug?: boolean;
}
