import type { WorkerInfo } from './worker-info.js';

/**
 * The second argument of every job function: cancellation and identity.
 *
 * @remarks
 * `signal` aborts when the job's caller aborts it, when the executor's session is reset, or when
 * the executor closes; the job should stop soon after (throwing `signal.reason` is fine). A job
 * that ignores it is terminated with its worker after the executor's `abortGraceMs`.
 *
 * @example
 * ```ts
 * export default async function job(url: string, { signal, attempt }: JobContext): Promise<number> {
 *   const response = await fetch(url, { signal });
 *   return attempt === 1 ? response.status : -response.status;
 * }
 * ```
 */
export interface JobContext {
  /** Aborts when the job is cancelled (its `reason` says why). */
  readonly signal: AbortSignal;
  /** The worker running the job (also given by `getWorkerInfo()`). */
  readonly workerInfo: WorkerInfo;
  /** The job's id, unique within its executor. */
  readonly jobId: number;
  /** 1 for the first run; 2 and up when the job is re-run after its worker died. */
  readonly attempt: number;
}
