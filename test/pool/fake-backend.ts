/**
 * A scripted {@link Backend} for testing the executor's state machine without workers. Like the
 * tinypool backend it takes `workers + min(workers, maxQueue)` jobs: the first `workers` of them
 * (in dispatch order) are "started", the others wait in the "pool" and start as earlier ones end.
 * A started job waits until the test replies to it, fails it, or kills its "worker".
 */
import type { TransferListItem } from 'node:worker_threads';
import {
  WorkerFailure,
  type Backend,
  type BackendEvents,
  type Dispatch,
  type SlotSnapshot,
  type WorkerFailureKind,
} from '../../src/pool/backend.js';
import type { ReplyMessage, TaskMessage } from '../../src/pool/protocol.js';
import type { ResolvedExecutorOptions } from '../../src/pool/resolve-options.js';

/** One job the fake received. */
export interface FakeDispatch {
  readonly task: TaskMessage;
  readonly transfer: readonly TransferListItem[];
  /** Settled (replied, failed, stopped, taken back or terminated). */
  done: boolean;
  stopped: boolean;
  /** When it started on its "worker" (`Date.now()`), if it has. */
  startedAt: number | undefined;
  reply(value: unknown): void;
  fail(message: string): void;
  die(kind: Extract<WorkerFailureKind, 'exited' | 'crashed' | 'out-of-memory'>): void;
  terminate(): void;
}

/** The fake, and what it saw. */
export class FakeBackend implements Backend {
  readonly dispatches: FakeDispatch[] = [];
  readonly aborts: { d: number; job: number; code: number }[] = [];
  readonly dispatchSlots: number;
  readonly #workers: number;
  readonly #settle = new Map<FakeDispatch, (failure: WorkerFailure) => void>();
  #destroyed = false;
  #restarts = 0;
  /** Most dispatched-and-unsettled jobs seen at once. */
  maxInFlight = 0;
  /** Most started-and-unsettled jobs seen at once. */
  maxStarted = 0;
  /** When false, jobs never start (as if every worker were still starting). */
  workersUp = true;
  /** When false, `unqueue` refuses (as if tinypool had posted every job to a worker already). */
  unqueueable = true;

  constructor(options: ResolvedExecutorOptions, _events: BackendEvents) {
    this.#workers = options.workers;
    this.dispatchSlots = options.workers + Math.min(options.workers, options.maxQueue);
  }

  get inFlight(): FakeDispatch[] {
    return this.dispatches.filter((d) => !d.done);
  }

  get started(): FakeDispatch[] {
    return this.inFlight.filter((d) => d.startedAt !== undefined);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Starts waiting jobs while "workers" are free. */
  promote(): void {
    if (!this.workersUp) return;
    let started = this.started.length;
    for (const d of this.inFlight) {
      if (started >= this.#workers) break;
      if (d.startedAt === undefined) {
        d.startedAt = Date.now();
        started++;
      }
    }
    this.maxStarted = Math.max(this.maxStarted, this.started.length);
  }

  dispatch(task: TaskMessage, transfer: readonly TransferListItem[]): Dispatch {
    let resolve!: (reply: ReplyMessage) => void;
    let reject!: (failure: WorkerFailure) => void;
    const done = new Promise<ReplyMessage>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const finish = (entry: FakeDispatch): boolean => {
      if (entry.done) return false;
      entry.done = true;
      this.promote();
      return true;
    };
    const entry: FakeDispatch = {
      task,
      transfer,
      done: false,
      stopped: false,
      startedAt: undefined,
      reply: (value) => {
        if (finish(entry)) resolve({ w: task.d, g: 0, t: 1, ok: true, v: value });
      },
      fail: (message) => {
        const e = { name: 'Error', message, stack: undefined, props: {}, cause: undefined };
        if (finish(entry)) resolve({ w: task.d, g: 0, t: 1, ok: false, k: 'job', e });
      },
      die: (kind) => {
        if (!finish(entry)) return;
        this.#restarts++;
        reject(new WorkerFailure(kind, task.d, kind === 'exited' ? 1 : undefined, new Error(kind)));
      },
      terminate: () => {
        if (finish(entry)) reject(new WorkerFailure('terminated', undefined, undefined, undefined));
      },
    };
    this.#settle.set(entry, reject);
    this.dispatches.push(entry);
    this.promote();
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.length);
    const stop = (): void => {
      if (entry.startedAt === undefined || !finish(entry)) return;
      entry.stopped = true;
      this.#restarts++;
      reject(new WorkerFailure('stopped', task.d, undefined, undefined));
    };
    return { done, stop };
  }

  unqueue(job: number): boolean {
    if (!this.unqueueable) return false;
    const entry = this.inFlight.find((d) => d.task.j === job && d.startedAt === undefined);
    if (entry === undefined) return false;
    entry.done = true;
    this.#settle.get(entry)!(new WorkerFailure('unqueued', undefined, undefined, undefined));
    return true;
  }

  requestAbort(d: number, job: number, code: number): void {
    this.aborts.push({ d, job, code });
  }

  clearAbort(): void {}

  workerOf(job: number): number | undefined {
    return this.started.find((d) => d.task.j === job)?.task.d;
  }

  runTimeOf(job: number): number | undefined {
    const entry = this.started.find((d) => d.task.j === job);
    return entry === undefined ? undefined : Date.now() - entry.startedAt!;
  }

  slots(): readonly SlotSnapshot[] {
    return Array.from({ length: this.#workers }, (_, workerId) => ({
      workerId,
      generation: 0,
      state: this.#destroyed ? 'stopped' : 'idle',
      job: 0,
    }));
  }

  restarts(): number {
    return this.#restarts;
  }

  liveWorkers(): number {
    return this.#destroyed ? 0 : this.#workers;
  }

  destroy(): Promise<void> {
    this.#destroyed = true;
    // Jobs still on "workers" or in the "pool" fail as terminated, as with tinypool's destroy().
    for (const entry of this.dispatches) entry.terminate();
    return Promise.resolve();
  }
}
