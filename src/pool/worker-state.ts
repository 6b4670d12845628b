/**
 * Where a worker's identity lives so that `getWorkerInfo()` finds it from any copy of this
 * module: a process-wide `Symbol.for` slot on `globalThis` (one worker per thread or process),
 * plus an `AsyncLocalStorage` for debug mode, where several simulated workers share the main
 * thread and each job must see its own.
 *
 * @internal
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkerInfo } from './worker-info.js';

const INFO_KEY = Symbol.for('lightdl.pool.workerInfo');
const STORAGE_KEY = Symbol.for('lightdl.pool.debugStorage');

interface Slots {
  [INFO_KEY]?: WorkerInfo;
  [STORAGE_KEY]?: AsyncLocalStorage<WorkerInfo>;
}

const slots = globalThis as unknown as Slots;

/** Sets the identity of the worker running in this thread or process. */
export function setThreadWorkerInfo(info: WorkerInfo): void {
  slots[INFO_KEY] = Object.freeze({ ...info });
}

/** The storage debug mode runs each simulated worker's code in (created once per process). */
export function debugStorage(): AsyncLocalStorage<WorkerInfo> {
  return (slots[STORAGE_KEY] ??= new AsyncLocalStorage<WorkerInfo>());
}

/** The identity of the worker running the calling code, or `undefined` outside any worker. */
export function currentWorkerInfo(): WorkerInfo | undefined {
  return slots[STORAGE_KEY]?.getStore() ?? slots[INFO_KEY];
}
