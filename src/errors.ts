/**
 * Operational errors of lightdl: one exported class per failure, each with a literal `code`,
 * readonly context naming what failed and where, and the ES2022 `cause`.
 *
 * @remarks
 * Catch by class (`err instanceof WorkerExitedError`) or by code (`err.code === 'ERR_WORKER_EXITED'`);
 * never by message text. Programmer errors (bad options) are plain `TypeError`/`RangeError`
 * thrown at once, not these.
 *
 * @packageDocumentation
 */

/** A rectangle of an image at one pyramid level, in that level's pixel coordinates. */
export interface RegionRef {
  /** Pyramid level, 0 being full resolution. */
  readonly level: number;
  /** Left edge in pixels. */
  readonly x: number;
  /** Top edge in pixels. */
  readonly y: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/**
 * Where an error happened. Every field is optional; each error fills in what it knows.
 */
export interface ErrorContext {
  /** Id of the patient being processed. */
  readonly patient?: string;
  /** Name of the patient's record (file) being read. */
  readonly record?: string;
  /** File path involved. */
  readonly path?: string;
  /** Region being read. */
  readonly region?: RegionRef;
  /** Worker id (0-based slot in the pool). */
  readonly worker?: number;
  /** Job id, unique within an executor. */
  readonly job?: number;
  /** Attempt number, 1-based, for retried work. */
  readonly attempt?: number;
}

/** Every error code lightdl uses. */
export type LightdlErrorCode =
  | 'ERR_JOB_FAILED'
  | 'ERR_WORKER_EXITED'
  | 'ERR_WORKER_OUT_OF_MEMORY'
  | 'ERR_JOB_TIMEOUT'
  | 'ERR_EXECUTOR_CLOSED'
  | 'ERR_SESSION_RESET'
  | 'ERR_WORKER_MODULE'
  | 'ERR_QUEUE_OVERFLOW'
  | 'ERR_DATASET_INVALID'
  | 'ERR_FILE_NOT_FOUND'
  | 'ERR_NOT_AN_IMAGE'
  | 'ERR_IMAGE_DECODE'
  | 'ERR_UNSUPPORTED_COMPRESSION'
  | 'ERR_UNSUPPORTED_FORMAT'
  | 'ERR_REGION_OUT_OF_BOUNDS'
  | 'ERR_EMPTY_IMAGE'
  | 'ERR_IMAGE_TOO_LARGE'
  | 'ERR_LOADER_FAILED'
  | 'ERR_COLLECTOR_FAILED'
  | 'ERR_PATIENT_SET_ASIDE'
  | 'ERR_PATIENTS_EXHAUSTED'
  | 'ERR_PLATFORM_UNSUPPORTED';

function describeContext(context: ErrorContext): string {
  const parts: string[] = [];
  if (context.patient !== undefined) parts.push(`patient ${JSON.stringify(context.patient)}`);
  if (context.record !== undefined) parts.push(`record ${JSON.stringify(context.record)}`);
  if (context.path !== undefined) parts.push(`file ${context.path}`);
  if (context.region !== undefined) {
    const r = context.region;
    parts.push(`region level ${r.level} (${r.x}, ${r.y}) ${r.width}×${r.height}`);
  }
  if (context.worker !== undefined) parts.push(`worker ${context.worker}`);
  if (context.job !== undefined) parts.push(`job ${context.job}`);
  if (context.attempt !== undefined) parts.push(`attempt ${context.attempt}`);
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}

/**
 * Base class of every operational error lightdl raises.
 *
 * @example
 * ```ts
 * try {
 *   await executor.run(input);
 * } catch (err) {
 *   if (err instanceof LightdlError) console.error(err.code, err.context.patient);
 * }
 * ```
 */
export class LightdlError extends Error {
  /** Stable machine-readable code. */
  readonly code: LightdlErrorCode;
  /** Where the error happened. */
  readonly context: ErrorContext;

  /**
   * @param code - Stable error code.
   * @param message - What went wrong, without the context (it is appended).
   * @param context - Where it went wrong.
   * @param options - `cause`: the underlying error.
   */
  constructor(
    code: LightdlErrorCode,
    message: string,
    context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${message}${describeContext(context)}`, options);
    this.code = code;
    this.context = Object.freeze({ ...context });
  }

  /** The class name, e.g. `'WorkerExitedError'`. */
  override get name(): string {
    return this.constructor.name;
  }
}

// ── pool ─────────────────────────────────────────────────────────────────────

/**
 * A job's function threw (or rejected) inside a worker. The worker is healthy and reused.
 * `workerStack` is the stack captured in the worker.
 *
 * @example
 * ```ts
 * ex.run(1).catch((e) => { if (e instanceof JobFailedError) console.error(e.workerStack); });
 * ```
 */
export class JobFailedError extends LightdlError {
  declare readonly code: 'ERR_JOB_FAILED';
  /** Stack trace of the original error, as captured in the worker. */
  readonly workerStack: string | undefined;
  /**
   * @param message - The worker error's message.
   * @param context - Worker and job ids.
   * @param workerStack - The worker-side stack.
   * @param options - `cause`: the original error, when it could be cloned.
   */
  constructor(
    message: string,
    context: ErrorContext,
    workerStack: string | undefined,
    options?: { cause?: unknown },
  ) {
    super('ERR_JOB_FAILED', message, context, options);
    this.workerStack = workerStack;
  }
}

/**
 * A worker exited (`process.exit`, an uncaught error, a native crash) while running a job.
 * The worker is replaced; the job is retried up to `maxRetries`, then fails with this error.
 *
 * @example
 * ```ts
 * if (err instanceof WorkerExitedError) console.warn(`worker ${err.context.worker} exited with ${err.exitCode}`);
 * ```
 */
export class WorkerExitedError extends LightdlError {
  declare readonly code: 'ERR_WORKER_EXITED';
  /** The worker's exit code, when known. */
  readonly exitCode: number | undefined;
  /**
   * @param message - What happened.
   * @param context - Worker, job and attempt.
   * @param exitCode - The exit code, when known.
   * @param options - `cause`: the worker's error, if any.
   */
  constructor(
    message: string,
    context: ErrorContext,
    exitCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super('ERR_WORKER_EXITED', message, context, options);
    this.exitCode = exitCode;
  }
}

/**
 * A worker ran out of memory (its `resourceLimits` were hit) while running a job.
 *
 * @example
 * ```ts
 * if (err instanceof WorkerOutOfMemoryError) console.warn('raise resourceLimits or shrink the chunk');
 * ```
 */
export class WorkerOutOfMemoryError extends LightdlError {
  declare readonly code: 'ERR_WORKER_OUT_OF_MEMORY';
  /**
   * @param message - What happened.
   * @param context - Worker, job and attempt.
   * @param options - `cause`: the worker's error.
   */
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ERR_WORKER_OUT_OF_MEMORY', message, context, options);
  }
}

/**
 * A job ran past its `timeoutMs`; its worker was recycled.
 *
 * @example
 * ```ts
 * if (err instanceof JobTimeoutError) console.warn(`job ${err.context.job} took over ${err.timeoutMs} ms`);
 * ```
 */
export class JobTimeoutError extends LightdlError {
  declare readonly code: 'ERR_JOB_TIMEOUT';
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * @param timeoutMs - The exceeded timeout (ms).
   * @param context - Worker and job.
   */
  constructor(timeoutMs: number, context: ErrorContext) {
    super('ERR_JOB_TIMEOUT', `Job timed out after ${timeoutMs} ms`, context);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Work was submitted to, or still pending in, an executor that is closing or closed.
 *
 * @example
 * ```ts
 * await ex.close();
 * await ex.run(1).catch((e) => e.code); // 'ERR_EXECUTOR_CLOSED'
 * ```
 */
export class ExecutorClosedError extends LightdlError {
  declare readonly code: 'ERR_EXECUTOR_CLOSED';
  /**
   * @param message - What was refused.
   * @param context - The job, if any.
   */
  constructor(message = 'The executor is closed', context: ErrorContext = {}) {
    super('ERR_EXECUTOR_CLOSED', message, context);
  }
}

/**
 * A job belonged to a session that `reset()` ended; its result is never delivered.
 *
 * @example
 * ```ts
 * const p = ex.run(1);
 * ex.reset();
 * await p.catch((e) => e.code); // 'ERR_SESSION_RESET' (if it was still queued)
 * ```
 */
export class SessionResetError extends LightdlError {
  declare readonly code: 'ERR_SESSION_RESET';
  /**
   * @param context - The job.
   */
  constructor(context: ErrorContext = {}) {
    super('ERR_SESSION_RESET', 'The job session was reset', context);
  }
}

/**
 * A worker module could not be loaded, or lacks the named export.
 *
 * @example
 * ```ts
 * new JobExecutor({ module: './missing.js' }); // jobs reject with WorkerModuleError
 * ```
 */
export class WorkerModuleError extends LightdlError {
  declare readonly code: 'ERR_WORKER_MODULE';
  /**
   * @param message - What is wrong with the module.
   * @param context - The module path.
   * @param options - `cause`: the loader's error.
   */
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ERR_WORKER_MODULE', message, context, options);
  }
}

// ── operators ────────────────────────────────────────────────────────────────

/**
 * A bounded queue configured with `overflow: 'error'` received an item while full.
 *
 * @example
 * ```ts
 * source$.pipe(boundedQueue(4, { overflow: 'error' })); // errors with QueueOverflowError past 4
 * ```
 */
export class QueueOverflowError extends LightdlError {
  declare readonly code: 'ERR_QUEUE_OVERFLOW';
  /** The queue's capacity. */
  readonly capacity: number;
  /**
   * @param capacity - The capacity that was exceeded.
   * @param context - Where, if known.
   */
  constructor(capacity: number, context: ErrorContext = {}) {
    super('ERR_QUEUE_OVERFLOW', `Queue overflow: capacity ${capacity} exceeded`, context);
    this.capacity = capacity;
  }
}

// ── dataset ──────────────────────────────────────────────────────────────────

/** One problem found while validating a dataset or manifest. */
export interface DatasetIssue {
  /** What is wrong. */
  readonly message: string;
  /** 1-based line of the manifest, when known. */
  readonly line?: number;
  /** Index of the entry in a JSON manifest or patient list, when known. */
  readonly entry?: number;
  /** Patient id, when known. */
  readonly patient?: string;
  /** Record name, when known. */
  readonly record?: string;
  /** File path, when relevant. */
  readonly path?: string;
}

/**
 * A dataset or manifest failed validation. `issues` lists every problem found (all at once,
 * not just the first).
 *
 * @example
 * ```ts
 * try { await Dataset.fromManifest('slides.csv'); }
 * catch (e) { if (e instanceof DatasetError) for (const i of e.issues) console.error(i.line, i.message); }
 * ```
 */
export class DatasetError extends LightdlError {
  declare readonly code: 'ERR_DATASET_INVALID';
  /** Every problem found. */
  readonly issues: readonly DatasetIssue[];
  /**
   * @param message - Summary.
   * @param issues - Every problem found.
   * @param context - The manifest path, if any.
   */
  constructor(message: string, issues: readonly DatasetIssue[], context: ErrorContext = {}) {
    super('ERR_DATASET_INVALID', message, context);
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ ...i })));
  }
}

// ── readers ──────────────────────────────────────────────────────────────────

/** Codes of {@link ImageError}. */
export type ImageErrorCode =
  | 'ERR_FILE_NOT_FOUND'
  | 'ERR_NOT_AN_IMAGE'
  | 'ERR_IMAGE_DECODE'
  | 'ERR_UNSUPPORTED_COMPRESSION'
  | 'ERR_UNSUPPORTED_FORMAT'
  | 'ERR_REGION_OUT_OF_BOUNDS'
  | 'ERR_EMPTY_IMAGE'
  | 'ERR_IMAGE_TOO_LARGE';

/**
 * An image could not be opened or a region could not be read. The `code` says why:
 * `ERR_FILE_NOT_FOUND`, `ERR_NOT_AN_IMAGE`, `ERR_IMAGE_DECODE` (truncated or corrupt),
 * `ERR_UNSUPPORTED_COMPRESSION` (e.g. JPEG 2000, zstd, WebP tiles), `ERR_UNSUPPORTED_FORMAT`
 * (e.g. BigTIFF for the utif2 reader), `ERR_REGION_OUT_OF_BOUNDS`, `ERR_EMPTY_IMAGE` (zero-sized),
 * `ERR_IMAGE_TOO_LARGE` (a region over the size limit, or a header that claims more pixels than
 * the file can hold).
 *
 * @example
 * ```ts
 * try { await img.readRegion({ level: 0, x: 1e6, y: 0, width: 10, height: 10 }); }
 * catch (e) { if (e instanceof ImageError && e.code === 'ERR_REGION_OUT_OF_BOUNDS') console.error(e.message); }
 * ```
 */
export class ImageError extends LightdlError {
  declare readonly code: ImageErrorCode;
  /**
   * @param code - Why the image failed.
   * @param message - What went wrong.
   * @param context - File path, and region where relevant.
   * @param options - `cause`: the decoder's error.
   */
  constructor(
    code: ImageErrorCode,
    message: string,
    context: ErrorContext,
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}

// ── loader tree ──────────────────────────────────────────────────────────────

/**
 * A big-chunk loader failed for a patient (threw, its worker exited, or it timed out).
 * `cause` holds the underlying error (often an {@link ImageError} or a pool error).
 *
 * @example
 * ```ts
 * dl.errors$.subscribe((e) => { if (e instanceof LoaderError) console.warn(e.context.patient, e.cause); });
 * ```
 */
export class LoaderError extends LightdlError {
  declare readonly code: 'ERR_LOADER_FAILED';
  /**
   * @param message - What failed.
   * @param context - Patient, record, region, attempt.
   * @param options - `cause`: the underlying error.
   */
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ERR_LOADER_FAILED', message, context, options);
  }
}

/**
 * A small-chunk collector failed for a patient.
 *
 * @example
 * ```ts
 * dl.errors$.subscribe((e) => { if (e instanceof CollectorError) console.warn(e.context.patient); });
 * ```
 */
export class CollectorError extends LightdlError {
  declare readonly code: 'ERR_COLLECTOR_FAILED';
  /**
   * @param message - What failed.
   * @param context - Patient, region, attempt.
   * @param options - `cause`: the underlying error.
   */
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ERR_COLLECTOR_FAILED', message, context, options);
  }
}

/**
 * A patient failed too many times in a row and was set aside (no longer scheduled).
 *
 * @example
 * ```ts
 * dl.errors$.subscribe((e) => { if (e instanceof PatientSetAsideError) console.error(`${e.context.patient} set aside after ${e.failures} failures`); });
 * ```
 */
export class PatientSetAsideError extends LightdlError {
  declare readonly code: 'ERR_PATIENT_SET_ASIDE';
  /** Consecutive failures that led to setting the patient aside. */
  readonly failures: number;
  /**
   * @param failures - Consecutive failures.
   * @param context - The patient.
   * @param options - `cause`: the last failure.
   */
  constructor(failures: number, context: ErrorContext, options?: { cause?: unknown }) {
    super(
      'ERR_PATIENT_SET_ASIDE',
      `Patient set aside after ${failures} consecutive failures`,
      context,
      options,
    );
    this.failures = failures;
  }
}

/**
 * Every patient was set aside after repeated failures, so no small chunk can ever be produced:
 * the loader's stream ends with this error once everything already buffered was delivered.
 *
 * @example
 * ```ts
 * try { for await (const batch of dl) train(batch); }
 * catch (e) { if (e instanceof PatientsExhaustedError) console.error(e.patients); }
 * ```
 */
export class PatientsExhaustedError extends LightdlError {
  declare readonly code: 'ERR_PATIENTS_EXHAUSTED';
  /** The patients set aside (all of them). */
  readonly patients: readonly string[];
  /**
   * @param patients - The patients set aside.
   */
  constructor(patients: readonly string[]) {
    super(
      'ERR_PATIENTS_EXHAUSTED',
      `Every patient (${patients.length}) was set aside after repeated failures; no small chunk can be produced`,
    );
    this.patients = Object.freeze([...patients]);
  }
}

/**
 * A requested platform feature (CPU affinity, thread priority) is not available here.
 *
 * @example
 * ```ts
 * dl.errors$.subscribe((e) => { if (e instanceof PlatformUnsupportedError) console.warn(e.message); });
 * ```
 */
export class PlatformUnsupportedError extends LightdlError {
  declare readonly code: 'ERR_PLATFORM_UNSUPPORTED';
  /**
   * @param message - Which feature, and why it is unavailable.
   * @param options - `cause`: the system error.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_PLATFORM_UNSUPPORTED', message, {}, options);
  }
}
