/**
 * The job executor: a worker pool on tinypool that runs jobs from a module file, replaces
 * workers that die, retries their jobs, times out and cancels cooperatively, and keeps its
 * queue bounded.
 *
 * Also the subpath export `lightdl/pool`, for code that needs the executor alone: it loads
 * neither the LightDL tiers nor sharp, and RxJS only once `results$` is read or an Observable is
 * passed to `map()`/`runAll()`.
 *
 * @packageDocumentation
 */
export { JobExecutor } from './job-executor.js';
export { getWorkerInfo } from './get-worker-info.js';
export type { JobExecutorOptions } from './job-executor-options.js';
export type { RunOptions } from './run-options.js';
export type { MapOptions } from './map-options.js';
export type { RunAllOptions } from './run-all-options.js';
export type { CloseOptions } from './close-options.js';
export type { JobOutcome } from './job-outcome.js';
export type { ExecutorReport } from './executor-report.js';
export type { WorkerReport } from './worker-report.js';
export type { DurationSummary } from './duration-summary.js';
export type { JobContext } from './job-context.js';
export type { JobFunction } from './job-function.js';
export type { WorkerInitFunction } from './worker-init-function.js';
export type { WorkerInfo } from './worker-info.js';
export type { JobRunner, JobRunOptions } from './job-runner.js';
export type { MapSource } from './map-source.js';
export {
  LightdlError,
  JobFailedError,
  WorkerExitedError,
  WorkerOutOfMemoryError,
  JobTimeoutError,
  ExecutorClosedError,
  SessionResetError,
  WorkerModuleError,
  QueueOverflowError,
} from '../errors.js';
export type { LightdlErrorCode, ErrorContext } from '../errors.js';
