/**
 * lightdl: stream training samples out of images far too big to load.
 *
 * @packageDocumentation
 */

// ── errors ──
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
  DatasetError,
  ImageError,
  LoaderError,
  CollectorError,
  PatientSetAsideError,
  PlatformUnsupportedError,
} from './errors.js';
export type {
  ErrorContext,
  RegionRef,
  LightdlErrorCode,
  DatasetIssue,
  ImageErrorCode,
} from './errors.js';

// ── pool ──
export type { JobRunner, JobRunOptions } from './pool/job-runner.js';
