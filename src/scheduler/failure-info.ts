/**
 * Why a load or a collector failed, as plain serialisable data.
 *
 * @remarks
 * The scheduler never holds `Error` objects, so its state stays serialisable; the shell turns a
 * failure into a typed error (`LoaderError`, `CollectorError`, `WorkerExitedError`) when it reports
 * it.
 *
 * @example
 * ```ts
 * const cause: FailureInfo = { code: 'ERR_IMAGE_DECODE', message: 'Truncated tile at (4096, 0)' };
 * ```
 */
export interface FailureInfo {
  /** Stable machine-readable code, e.g. `'ERR_IMAGE_DECODE'` or `'ERR_WORKER_EXITED'`. */
  readonly code: string;
  /** Human-readable description. */
  readonly message: string;
}
