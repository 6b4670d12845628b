/**
 * What the executor needs from whatever runs its jobs: tinypool workers, or the main thread in
 * debug mode.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import type { ReplyMessage, TaskMessage } from './protocol.js';

/** Why a dispatched job came back without a reply. */
export type WorkerFailureKind =
  /** The worker exited (e.g. `process.exit()`) while running it. */
  | 'exited'
  /** The worker hit its `resourceLimits`. */
  | 'out-of-memory'
  /** The worker died of an uncaught error. */
  | 'crashed'
  /** The executor stopped it (`Dispatch.stop()`), terminating its worker if it had one. */
  | 'stopped'
  /** The backend was destroyed. */
  | 'terminated'
  /** It could not be sent (e.g. its input is not cloneable). */
  | 'unsent'
  /** The executor took it back before a worker started it (`Backend.unqueue`). */
  | 'unqueued'
  /**
   * Its worker died (exited, crashed, ran out of memory, was stopped) while it waited there,
   * handed over ahead: it never started.
   */
  | 'unstarted';

/** The rejection of {@link Dispatch.done}. */
export class WorkerFailure extends Error {
  readonly kind: WorkerFailureKind;
  readonly worker: number | undefined;
  readonly exitCode: number | undefined;

  constructor(
    kind: WorkerFailureKind,
    worker: number | undefined,
    exitCode: number | undefined,
    cause: unknown,
  ) {
    super(`Worker failure: ${kind}`, { cause });
    this.kind = kind;
    this.worker = worker;
    this.exitCode = exitCode;
  }
}

/** One job handed to the backend. */
export interface Dispatch {
  /** Resolves with the worker's reply; rejects with a {@link WorkerFailure}. */
  readonly done: Promise<ReplyMessage>;
  /** Hard stop: terminate the worker running it (or drop it if it has not reached one). */
  stop(): void;
}

/** Snapshot of one worker slot. */
export interface SlotSnapshot {
  readonly workerId: number;
  readonly generation: number;
  readonly state: 'starting' | 'idle' | 'busy' | 'stopped';
  readonly job: number;
}

/** What the backend tells the executor. */
export interface BackendEvents {
  /** A worker died before it was ready: the module cannot run here. */
  onBroken(cause: unknown): void;
}

/** Runs jobs. The executor never has more than `dispatchSlots` jobs dispatched at once. */
export interface Backend {
  /**
   * How many jobs may be dispatched at once: the workers, plus jobs handed over ahead so that a
   * worker finds its next job as soon as it is done with one.
   */
  readonly dispatchSlots: number;
  dispatch(task: TaskMessage, transfer: readonly TransferListItem[]): Dispatch;
  /**
   * Takes back a dispatched job no worker has started; its dispatch then fails with `unqueued`.
   * Returns whether it did.
   */
  unqueue(job: number): boolean;
  /** Raises the abort flag of dispatch slot `d` (held by job `job`). */
  requestAbort(d: number, job: number, code: number): void;
  /** Lowers the abort flag of dispatch slot `d` before it is reused. */
  clearAbort(d: number): void;
  /** The worker slot running `job`, if known. */
  workerOf(job: number): number | undefined;
  /** Milliseconds since `job` started on its worker, if it has. */
  runTimeOf(job: number): number | undefined;
  slots(): readonly SlotSnapshot[];
  liveWorkers(): number;
  /** Workers started to replace others (exited, crashed, stopped) so far. */
  restarts(): number;
  /** Terminates every worker; dispatched jobs fail with `terminated`. */
  destroy(): Promise<void>;
}
