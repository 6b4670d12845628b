import type { WorkerInfo } from './worker-info.js';
import { currentWorkerInfo } from './worker-state.js';

/**
 * The identity of the worker running the calling code: `{ workerId, seed, generation }`.
 *
 * @remarks
 * Call it from a worker module of a {@link JobExecutor}: at module top level, in `workerInit`, or
 * in the job function (which also receives it as `context.workerInfo`). In `debug` mode it gives
 * the simulated worker running the current job.
 *
 * @returns The worker's identity (a frozen object).
 * @throws `TypeError` when called outside a worker of a `JobExecutor`.
 * @example
 * ```ts
 * // my.worker.ts
 * import { getWorkerInfo } from 'lightdl';
 * const { seed } = getWorkerInfo(); // each worker gets its own seed, derived from the executor's
 * export default function job(n: number): number {
 *   return n + seed;
 * }
 * ```
 */
export function getWorkerInfo(): WorkerInfo {
  const info = currentWorkerInfo();
  if (info === undefined) {
    throw new TypeError('getWorkerInfo() must be called inside a JobExecutor worker');
  }
  return info;
}
