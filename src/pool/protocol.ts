/**
 * The messages that cross between the executor (main thread) and its workers, and the layout of
 * the shared control block. Short keys keep the per-job messages small.
 *
 * @internal
 */
import type { SerializedError } from './serialized-error.js';

/** What the executor tells every worker once, when it starts. */
export interface WorkerBootConfig {
  /** The user module, as an absolute URL (`file:`, `data:` …). */
  readonly module: string;
  /** The job function's export name. */
  readonly exportName: string;
  /** The executor's base seed. */
  readonly seed: number;
  /** Whether ArrayBuffers found in results are moved instead of copied. */
  readonly transferResults: boolean;
  /** Number of worker slots (sizes the control block). */
  readonly workers: number;
  /** Number of dispatch slots: jobs handed to the pool at once (sizes the control block). */
  readonly dispatchSlots: number;
  /** Jobs may arrive while one runs: the worker runs them one after the other. */
  readonly prefetch: boolean;
  /** Origin of the shared millisecond clock (see {@link clockNow}). */
  readonly clockBase: number;
}

/**
 * Milliseconds since `base` on a clock every thread and process of the machine agrees on (wall
 * clock with sub-millisecond steadiness), small enough for an `Int32` field.
 */
export function clockNow(base: number): number {
  return Math.round(performance.timeOrigin + performance.now()) - base;
}

/** `workerData` of a thread worker: the boot config and the shared control block. */
export interface ThreadWorkerData {
  readonly config: WorkerBootConfig;
  readonly control: SharedArrayBuffer;
}

/** One job, as sent to a worker. */
export interface TaskMessage {
  /** Job id. */
  readonly j: number;
  /** Attempt, 1-based. */
  readonly a: number;
  /** Dispatch slot: where the executor raises this job's abort flag. */
  readonly d: number;
  /** The job's input. */
  readonly i: unknown;
}

/** A worker's answer to one job. Failures of the job itself are answers too, never rejections. */
export type ReplyMessage =
  | {
      readonly w: number;
      readonly g: number;
      /** How long the job function ran, in milliseconds. */
      readonly t: number;
      readonly ok: true;
      readonly v: unknown;
    }
  | {
      readonly w: number;
      readonly g: number;
      /** How long the job function ran, in milliseconds (0 if it did not run). */
      readonly t: number;
      readonly ok: false;
      /** `job`: the job function failed; `module`: the module or `workerInit` failed; `aborted`: skipped, aborted before it started. */
      readonly k: 'job' | 'module' | 'aborted';
      readonly e: SerializedError;
    };

/** Why the executor raised a job's abort flag. */
export const AbortCode = Object.freeze({
  none: 0,
  aborted: 1,
  reset: 2,
  closed: 3,
  timeout: 4,
});

/** Messages of the process runtime's side channel (the child's IPC channel). */
export type ProcessControlMessage =
  | { readonly __lightdl__: 'hello'; readonly slot: number }
  | {
      readonly __lightdl__: 'boot';
      readonly config: WorkerBootConfig;
      readonly generation: number;
    }
  | { readonly __lightdl__: 'ready' }
  | { readonly __lightdl__: 'busy'; readonly job: number; readonly at: number }
  | { readonly __lightdl__: 'idle' }
  | {
      readonly __lightdl__: 'abort';
      readonly d: number;
      readonly job: number;
      readonly code: number;
    };

/**
 * Layout of the control block shared with thread workers (an `Int32Array` over a
 * `SharedArrayBuffer`), `n` being the number of worker slots (`s` in `0 … n - 1`) and `m` the
 * number of dispatch slots (`d` in `0 … m - 1`).
 */
export const ControlLayout = Object.freeze({
  /** Generations claimed so far by worker slot `s` (a new worker takes the next one). */
  generations: (_n: number, s: number): number => s,
  /** Worker slot `s` state (0 starting, 1 ready). */
  state: (n: number, s: number): number => n + s,
  /** Thread id of the worker in slot `s`. */
  threadId: (n: number, s: number): number => 2 * n + s,
  /** Job running on worker slot `s` (0 when idle). */
  running: (n: number, s: number): number => 3 * n + s,
  /** When that job started, on the {@link clockNow} clock. */
  startedAt: (n: number, s: number): number => 4 * n + s,
  /** Abort code of dispatch slot `d`. */
  abort: (n: number, d: number): number => 5 * n + d,
  /** Number of `Int32` fields for `n` worker slots and `m` dispatch slots. */
  size: (n: number, m: number): number => 5 * n + m,
});

/** Worker slot states in the control block. */
export const SlotState = Object.freeze({ starting: 0, ready: 1 });
