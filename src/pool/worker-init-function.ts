import type { WorkerInfo } from './worker-info.js';

/**
 * The optional `workerInit` export of a worker module: runs once in each worker, after the
 * worker's seed is known and before its first job (again in every replacement worker).
 *
 * @remarks
 * Use it for per-worker setup: open a file handle, seed a random generator, warm a cache. If it
 * throws, every job sent to that worker fails with a `WorkerModuleError` carrying the error as
 * `cause`.
 *
 * @param info - The worker's identity, as `getWorkerInfo()` gives it.
 * @returns Nothing, or a promise the worker awaits before taking jobs.
 * @example
 * ```ts
 * // my.worker.ts
 * let offset = 0;
 * export const workerInit: WorkerInitFunction = ({ seed }) => {
 *   offset = seed % 10;
 * };
 * export default (n: number) => n + offset;
 * ```
 */
export type WorkerInitFunction = (info: WorkerInfo) => void | Promise<void>;
