import type { DurationSummary } from './duration-summary.js';
import type { WorkerReport } from './worker-report.js';

/**
 * An immutable snapshot of a {@link JobExecutor}: occupancy, counters since creation, per-worker
 * state and timing percentiles.
 *
 * @remarks
 * Counters: every job settles exactly once as `completed`, `failed` (its function threw, its
 * worker died past `maxRetries`, it timed out, its module could not load) or `cancelled`
 * (aborted, dropped by `reset()`, or refused by `close()`). `retried` counts re-runs, `restarts`
 * worker replacements (exits, crashes, terminations), `timedOut` the failures that were timeouts.
 *
 * @example
 * ```ts
 * declare const ex: JobExecutor<number, number>;
 * const r = ex.report();
 * console.log(`${r.running}/${r.workerCount} busy, ${r.queued} queued, ${r.completed} done, ${r.restarts} restarts`);
 * ```
 */
export interface ExecutorReport {
  /** `'open'`, `'closing'`, `'closed'`, or `'broken'` (a worker could not start; see `close()`). */
  readonly state: 'open' | 'closing' | 'closed' | 'broken';
  /** Current job session (starts at 0; `reset()` adds 1). */
  readonly session: number;
  /** Number of workers. */
  readonly workerCount: number;
  /** Jobs that may wait beyond the running ones. */
  readonly maxQueue: number;
  /** Callers of `run()`/`map()` waiting for room in the executor. */
  readonly waiting: number;
  /**
   * Jobs in the executor waiting for a worker, including those handed over ahead (one per worker
   * at most, so that a worker finds its next job without a round trip). A job handed over ahead
   * and then aborted is not counted: it only waits for its worker to skip it.
   */
  readonly queued: number;
  /** Jobs running on a worker (aborted ones included until they have stopped). */
  readonly running: number;
  /** Jobs that succeeded. */
  readonly completed: number;
  /** Jobs that failed. */
  readonly failed: number;
  /** Jobs aborted, reset or refused by close. */
  readonly cancelled: number;
  /** Re-runs after a worker died. */
  readonly retried: number;
  /** Failures that were timeouts (also counted in `failed`). */
  readonly timedOut: number;
  /** Worker replacements. */
  readonly restarts: number;
  /** Worker threads or processes currently alive (0 after `close()`). */
  readonly liveWorkers: number;
  /** Per worker slot. */
  readonly workers: readonly WorkerReport[];
  /** Time jobs waited in the executor before reaching a worker. */
  readonly waitMs: DurationSummary;
  /** Time from handing a job to a worker until it returned. */
  readonly runMs: DurationSummary;
}
