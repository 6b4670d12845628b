/**
 * Debug mode: jobs run in the main thread through the same wrapper code as in a worker
 * (`bootWorker` + `runJob`), with inputs and results passed through `structuredClone` (moving
 * transferred buffers) so that what a job sees, and what the caller gets, is the same as with
 * real workers. Each dispatch slot is a simulated worker with its own identity, run inside an
 * `AsyncLocalStorage` so that `getWorkerInfo()` answers per job.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import {
  WorkerFailure,
  type Backend,
  type BackendEvents,
  type Dispatch,
  type SlotSnapshot,
} from './backend.js';
import {
  AbortCode,
  type ReplyMessage,
  type TaskMessage,
  type WorkerBootConfig,
} from './protocol.js';
import type { ResolvedExecutorOptions } from './resolve-options.js';
import { serializeError } from './serialized-error.js';
import { debugStorage } from './worker-state.js';
import {
  bootWorker,
  runJob,
  workerInfoFor,
  type JobAbortSource,
  type WorkerRuntime,
} from './worker-runtime.js';

type CloneTransfer = NonNullable<NonNullable<Parameters<typeof structuredClone>[1]>['transfer']>;

interface SimulatedWorker {
  generation: number;
  runtime: Promise<WorkerRuntime> | undefined;
  ready: boolean;
  job: number;
  startedAt: number;
  completed: number;
}

interface AbortState {
  job: number;
  code: number;
  readonly listeners: Set<(code: number) => void>;
}

/** The in-process {@link Backend} of debug mode. */
export class InProcessBackend implements Backend {
  readonly #config: WorkerBootConfig;
  readonly #workers: SimulatedWorker[];
  readonly #aborts: AbortState[];
  readonly #pending = new Set<(failure: WorkerFailure) => void>();
  #destroyed = false;
  #restarts = 0;
  /** Every runtime booted, replaced ones included: each may hold resources to tear down. */
  readonly #booted: Promise<WorkerRuntime>[] = [];
  /** One simulated worker per dispatch slot: jobs are never handed over ahead. */
  readonly dispatchSlots: number;

  /** Debug mode has no workers that could fail to start: `_events` is never used. */
  constructor(options: ResolvedExecutorOptions, _events: BackendEvents) {
    this.dispatchSlots = options.workers;
    this.#config = {
      module: options.module,
      exportName: options.name,
      seed: options.seed,
      transferResults: options.transferResults,
      workers: options.workers,
      dispatchSlots: options.workers,
      prefetch: false,
      clockBase: 0,
    };
    this.#workers = Array.from({ length: options.workers }, () => ({
      generation: -1,
      runtime: undefined,
      ready: false,
      job: 0,
      startedAt: 0,
      completed: 0,
    }));
    this.#aborts = Array.from({ length: options.workers }, () => ({
      job: 0,
      code: AbortCode.none,
      listeners: new Set<(code: number) => void>(),
    }));
  }

  dispatch(task: TaskMessage, transfer: readonly TransferListItem[]): Dispatch {
    const d = task.d;
    let fail: ((failure: WorkerFailure) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const abandon = fail!;
    this.#pending.add(abandon);
    const run = this.#run(d, task, transfer);
    const done = Promise.race([run, failed]).finally(() => this.#pending.delete(abandon));
    return {
      done,
      stop: () => {
        // A job cannot be terminated in-process: abandon it, and give the slot a fresh worker.
        const worker = this.#workers[d]!;
        if (worker.job !== task.j) return;
        worker.runtime = undefined;
        worker.job = 0;
        abandon(new WorkerFailure('stopped', d, undefined, undefined));
        this.#restarts++;
      },
    };
  }

  requestAbort(d: number, job: number, code: number): void {
    const state = this.#aborts[d]!;
    if (state.job !== job || state.code !== AbortCode.none) return;
    state.code = code;
    for (const listener of [...state.listeners]) listener(code);
    state.listeners.clear();
  }

  clearAbort(d: number): void {
    const state = this.#aborts[d]!;
    state.code = AbortCode.none;
    state.job = 0;
    state.listeners.clear();
  }

  unqueue(): boolean {
    return false;
  }

  runTimeOf(job: number): number | undefined {
    const worker = this.#workers.find((w) => w.job === job);
    return worker === undefined ? undefined : performance.now() - worker.startedAt;
  }

  workerOf(job: number): number | undefined {
    const i = this.#workers.findIndex((w) => w.job === job);
    return i < 0 ? undefined : i;
  }

  slots(): readonly SlotSnapshot[] {
    return this.#workers.map((w, workerId) => ({
      workerId,
      generation: w.generation,
      state: this.#destroyed ? 'stopped' : !w.ready ? 'starting' : w.job !== 0 ? 'busy' : 'idle',
      job: this.#destroyed ? 0 : w.job,
    }));
  }

  liveWorkers(): number {
    return this.#destroyed ? 0 : this.#workers.filter((w) => w.runtime !== undefined).length;
  }

  restarts(): number {
    return this.#restarts;
  }

  /**
   * Abandons running jobs, then calls the `workerTeardown` export of every module instance that
   * was booted (once each): in-process code cannot be terminated, so this is where it lets go of
   * what it holds (open files, say). A teardown that fails is ignored.
   */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const abandon of [...this.#pending]) {
      abandon(new WorkerFailure('terminated', undefined, undefined, undefined));
    }
    const runtimes = await Promise.allSettled(this.#booted);
    const teardowns = new Set<() => unknown>();
    for (const r of runtimes) {
      if (r.status === 'fulfilled' && r.value.teardown !== undefined)
        teardowns.add(r.value.teardown);
    }
    for (const teardown of teardowns) {
      try {
        await teardown();
      } catch {
        // the executor is closing: a failing teardown must not keep it open
      }
    }
  }

  async #run(
    d: number,
    task: TaskMessage,
    transfer: readonly TransferListItem[],
  ): Promise<ReplyMessage> {
    let input: unknown;
    try {
      input = structuredClone(task.i, { transfer: transfer as unknown as CloneTransfer });
    } catch (error) {
      throw new WorkerFailure('unsent', undefined, undefined, error);
    }
    const worker = this.#workers[d]!;
    if (worker.runtime === undefined) {
      worker.generation += 1;
      worker.ready = false;
      const info = workerInfoFor(this.#config, d, worker.generation);
      worker.runtime = debugStorage().run(info, () => bootWorker(this.#config, info));
      this.#booted.push(worker.runtime);
    }
    const runtime = await worker.runtime;
    worker.ready = true;
    worker.job = task.j;
    worker.startedAt = performance.now();
    const state = this.#aborts[d]!;
    state.job = task.j;
    const abort: JobAbortSource = {
      code: () => (state.job === task.j ? state.code : AbortCode.none),
      watch(onAbort) {
        if (state.job !== task.j) return () => {};
        if (state.code !== AbortCode.none) {
          onAbort(state.code);
          return () => {};
        }
        state.listeners.add(onAbort);
        return () => state.listeners.delete(onAbort);
      },
    };
    try {
      const { reply, transfer: moved } = await debugStorage().run(runtime.info, () =>
        runJob(runtime, { ...task, i: input }, abort),
      );
      try {
        return structuredClone(reply, { transfer: [...moved] as unknown as CloneTransfer });
      } catch (error) {
        const { w, g, t } = reply;
        return { w, g, t, ok: false, k: 'job', e: serializeError(error) };
      }
    } finally {
      if (worker.job === task.j) worker.job = 0;
    }
  }
}
