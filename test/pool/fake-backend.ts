/**
 * A scripted {@link Backend} for testing the executor's state machine without workers: every
 * dispatched job waits until the test replies to it, fails it, or kills its "worker".
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
  /** Settled (replied, failed or stopped). */
  done: boolean;
  stopped: boolean;
  /** Whether its "worker" has started it (`workerOf` finds it). */
  started: boolean;
  reply(value: unknown): void;
  fail(message: string): void;
  die(kind: Extract<WorkerFailureKind, 'exited' | 'crashed' | 'out-of-memory'>): void;
  /** Fails it as `terminated` (the backend was destroyed). */
  terminate(): void;
}

/** The fake, and what it saw. */
export class FakeBackend implements Backend {
  readonly dispatches: FakeDispatch[] = [];
  readonly aborts: { d: number; job: number; code: number }[] = [];
  readonly #workers: number;
  #destroyed = false;
  #restarts = 0;
  /** Most dispatched-and-unsettled jobs seen at once. */
  maxInFlight = 0;

  constructor(options: ResolvedExecutorOptions, _events: BackendEvents) {
    this.#workers = options.workers;
  }

  get inFlight(): FakeDispatch[] {
    return this.dispatches.filter((d) => !d.done);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  dispatch(task: TaskMessage, transfer: readonly TransferListItem[]): Dispatch {
    let resolve!: (reply: ReplyMessage) => void;
    let reject!: (failure: WorkerFailure) => void;
    const done = new Promise<ReplyMessage>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const backend = this;
    const entry: FakeDispatch = {
      task,
      transfer,
      done: false,
      stopped: false,
      started: true,
      reply(value) {
        if (entry.done) return;
        entry.done = true;
        resolve({ w: task.d, g: 0, ok: true, v: value });
      },
      fail(message) {
        if (entry.done) return;
        entry.done = true;
        resolve({
          w: task.d,
          g: 0,
          ok: false,
          k: 'job',
          e: { name: 'Error', message, stack: undefined, props: {}, cause: undefined },
        });
      },
      die(kind) {
        if (entry.done) return;
        entry.done = true;
        backend.#restarts++;
        reject(new WorkerFailure(kind, task.d, kind === 'exited' ? 1 : undefined, new Error(kind)));
      },
      terminate() {
        if (entry.done) return;
        entry.done = true;
        reject(new WorkerFailure('terminated', undefined, undefined, undefined));
      },
    };
    this.dispatches.push(entry);
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.length);
    const stop = (): void => {
      if (entry.done) return;
      entry.done = true;
      entry.stopped = true;
      this.#restarts++;
      reject(new WorkerFailure('stopped', task.d, undefined, undefined));
    };
    return { done, stop };
  }

  requestAbort(d: number, job: number, code: number): void {
    this.aborts.push({ d, job, code });
  }

  clearAbort(): void {}

  /** Jobs are on a "worker" from dispatch on, unless marked `started = false`. */
  workerOf(job: number): number | undefined {
    const entry = this.inFlight.find((d) => d.task.j === job && d.started);
    return entry?.task.d;
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
    // Jobs still on "workers" fail as terminated, as with tinypool's destroy().
    for (const entry of this.dispatches) entry.terminate();
    return Promise.resolve();
  }
}
