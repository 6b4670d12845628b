/**
 * Assembles the executor's frozen {@link ExecutorReport} from its parts.
 *
 * @internal
 */
import type { SlotSnapshot } from './backend.js';
import type { DurationSummary } from './duration-summary.js';
import type { ExecutorReport } from './executor-report.js';
import type { WorkerReport } from './worker-report.js';

/** The executor's counters. */
export interface ExecutorCounts {
  completed: number;
  failed: number;
  cancelled: number;
  retried: number;
  timedOut: number;
}

/** What the report is made of. */
export interface ReportParts {
  readonly state: ExecutorReport['state'];
  readonly session: number;
  readonly workerCount: number;
  readonly maxQueue: number;
  readonly waiting: number;
  readonly queued: number;
  readonly running: number;
  readonly counts: Readonly<ExecutorCounts>;
  readonly restarts: number;
  readonly liveWorkers: number;
  readonly slots: readonly SlotSnapshot[];
  readonly perWorker: readonly { readonly completed: number; readonly failed: number }[];
  readonly waitMs: DurationSummary;
  readonly runMs: DurationSummary;
}

/** A frozen report (its worker list and entries frozen too). */
export function buildReport(parts: ReportParts): ExecutorReport {
  const workers = parts.slots.map((slot): WorkerReport => {
    const counts = parts.perWorker[slot.workerId] ?? { completed: 0, failed: 0 };
    const base = {
      workerId: slot.workerId,
      generation: slot.generation,
      state: slot.state,
      completed: counts.completed,
      failed: counts.failed,
    };
    return Object.freeze(slot.state === 'busy' ? { ...base, job: slot.job } : base);
  });
  return Object.freeze({
    state: parts.state,
    session: parts.session,
    workerCount: parts.workerCount,
    maxQueue: parts.maxQueue,
    waiting: parts.waiting,
    queued: parts.queued,
    running: parts.running,
    ...parts.counts,
    restarts: parts.restarts,
    liveWorkers: parts.liveWorkers,
    workers: Object.freeze(workers),
    waitMs: parts.waitMs,
    runMs: parts.runMs,
  });
}
