/**
 * The code that wraps a user's job function, shared by the worker entry and by debug mode (which
 * runs it in-process), so both load modules, report failures and treat results the same way.
 *
 * @internal
 */
import { deriveSeed } from '../internal/derive-seed.js';
import { inspectCloneable } from './cloneable.js';
import type { JobContext } from './job-context.js';
import { loadModule, TsxMissingError } from './module-loader.js';
import {
  AbortCode,
  type ReplyMessage,
  type TaskMessage,
  type WorkerBootConfig,
} from './protocol.js';
import { serializeError, type SerializedError } from './serialized-error.js';
import type { WorkerInfo } from './worker-info.js';

type UserFunction = (input: unknown, context: JobContext) => unknown;

/** A booted worker: its identity and either its job function or why it has none. */
export interface WorkerRuntime {
  readonly info: WorkerInfo;
  readonly fn: UserFunction | undefined;
  readonly failure: SerializedError | undefined;
  readonly transferResults: boolean;
  /** The module's `workerTeardown` export, if it has one (called in debug mode on close). */
  readonly teardown: (() => unknown) | undefined;
}

/** How a job learns that the executor wants it aborted. */
export interface JobAbortSource {
  /** The current abort code (`AbortCode.none` while not aborted). */
  code(): number;
  /** Calls `onAbort` once when the job is aborted (at once if it already is); returns a disposer. */
  watch(onAbort: (code: number) => void): () => void;
}

/** A worker's identity for a slot and generation. */
export function workerInfoFor(
  config: WorkerBootConfig,
  workerId: number,
  generation: number,
): WorkerInfo {
  return Object.freeze({
    workerId,
    seed: deriveSeed(config.seed, workerId, generation),
    generation,
  });
}

/**
 * Loads the user module, finds the job function and runs `workerInit`. Never rejects: a failure
 * is kept and reported by every job.
 */
export async function bootWorker(
  config: WorkerBootConfig,
  info: WorkerInfo,
): Promise<WorkerRuntime> {
  let teardown: (() => unknown) | undefined;
  const done = (
    fn: UserFunction | undefined,
    failure: SerializedError | undefined,
  ): WorkerRuntime =>
    Object.freeze({ info, fn, failure, transferResults: config.transferResults, teardown });
  let namespace: Record<string, unknown>;
  try {
    namespace = await loadModule(config.module);
  } catch (error) {
    const message =
      error instanceof TsxMissingError
        ? error.message
        : `Cannot load the worker module ${config.module}: ${messageOf(error)}`;
    return done(undefined, serializeError(new Error(message, { cause: error })));
  }
  const fn = namespace[config.exportName];
  if (typeof fn !== 'function') {
    const functions = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function');
    const found = functions.length === 0 ? 'none' : functions.map((k) => `\`${k}\``).join(', ');
    const message = `The worker module ${config.module} has no function export \`${config.exportName}\` (function exports: ${found})`;
    return done(undefined, serializeError(new Error(message)));
  }
  const down = namespace['workerTeardown'];
  if (typeof down === 'function') teardown = down as () => unknown;
  const init = namespace['workerInit'];
  if (init !== undefined) {
    if (typeof init !== 'function') {
      const message = `The \`workerInit\` export of ${config.module} is not a function`;
      return done(undefined, serializeError(new Error(message)));
    }
    try {
      await (init as (info: WorkerInfo) => unknown)(info);
    } catch (error) {
      const message = `workerInit of ${config.module} failed: ${messageOf(error)}`;
      return done(undefined, serializeError(new Error(message, { cause: error })));
    }
  }
  return done(fn as UserFunction, undefined);
}

/** Runs one job and answers it; never rejects. `transfer` lists the result's buffers to move. */
export async function runJob(
  runtime: WorkerRuntime,
  task: TaskMessage,
  abort: JobAbortSource,
): Promise<{ readonly reply: ReplyMessage; readonly transfer: readonly ArrayBuffer[] }> {
  const { workerId: w, generation: g } = runtime.info;
  if (runtime.fn === undefined) {
    return { reply: { w, g, t: 0, ok: false, k: 'module', e: runtime.failure! }, transfer: [] };
  }
  const early = abort.code();
  if (early !== AbortCode.none) {
    return {
      reply: { w, g, t: 0, ok: false, k: 'aborted', e: serializeError(abortReason(early)) },
      transfer: [],
    };
  }
  let controller: AbortController | undefined;
  let stopWatching: (() => void) | undefined;
  const context: JobContext = Object.freeze({
    workerInfo: runtime.info,
    jobId: task.j,
    attempt: task.a,
    get signal(): AbortSignal {
      if (controller === undefined) {
        const created = new AbortController();
        controller = created;
        stopWatching = abort.watch((code) => created.abort(abortReason(code)));
      }
      return controller.signal;
    },
  });
  let value: unknown;
  const started = performance.now();
  try {
    value = await runtime.fn(task.i, context);
  } catch (error) {
    const t = performance.now() - started;
    return { reply: { w, g, t, ok: false, k: 'job', e: serializeError(error) }, transfer: [] };
  } finally {
    stopWatching?.();
  }
  const t = performance.now() - started;
  const inspection = inspectCloneable(value, runtime.transferResults);
  if (inspection.problem !== undefined) {
    const { kind, path } = inspection.problem;
    const error = new TypeError(
      `The job's result cannot be sent back: a ${kind} at \`result${path}\` is not structured-cloneable`,
    );
    return { reply: { w, g, t, ok: false, k: 'job', e: serializeError(error) }, transfer: [] };
  }
  return { reply: { w, g, t, ok: true, v: value }, transfer: inspection.buffers };
}

/** The `reason` a job's signal aborts with, for an abort code. */
export function abortReason(code: number): DOMException {
  switch (code) {
    case AbortCode.reset:
      return new DOMException('The job session was reset', 'AbortError');
    case AbortCode.closed:
      return new DOMException('The executor is closing', 'AbortError');
    case AbortCode.timeout:
      return new DOMException('The job timed out', 'TimeoutError');
    default:
      return new DOMException('The job was aborted', 'AbortError');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
