/**
 * Jobs on tinypool workers, made safe: tinypool leaves a task pending forever when its worker
 * exits without an `error` event (`process.exit()`), and keeps the dead worker. This backend
 * watches every worker's `exit`, turns an unexpected one into an `error` event (so tinypool
 * removes the worker, rejects its task and starts a replacement), classifies each failure, and
 * notices workers that die before they could start.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import { Tinypool, type TinypoolWorker } from 'tinypool';
import { WorkerExitedError } from '../errors.js';
import {
  WorkerFailure,
  type Backend,
  type BackendEvents,
  type Dispatch,
  type SlotSnapshot,
  type WorkerFailureKind,
} from './backend.js';
import { workerEntry } from './bootstrap.js';
import { processControlPlane, threadControlPlane, type ControlPlane } from './control-plane.js';
import { PoolTaskQueue } from './pool-task-queue.js';
import type { ReplyMessage, TaskMessage, WorkerBootConfig } from './protocol.js';
import type { ResolvedExecutorOptions } from './resolve-options.js';

interface Death {
  readonly kind: WorkerFailureKind;
  readonly worker: number | undefined;
  readonly exitCode: number | undefined;
  /** The job the worker was running when it died (0: none; undefined: not known). */
  readonly running: number | undefined;
}

/** The tinypool-backed {@link Backend}. */
export class TinypoolBackend implements Backend {
  readonly #pool: Tinypool;
  readonly #control: ControlPlane;
  readonly #events: BackendEvents;
  readonly #process: boolean;
  /** Jobs are handed to workers ahead: a death may fail one that never started. */
  readonly #prefetch: boolean;
  readonly #seen = new WeakSet<TinypoolWorker>();
  /** Every worker seen and not yet exited, with a promise of its exit. */
  readonly #exits = new Map<TinypoolWorker, Promise<void>>();
  readonly #initialWorkers: number;
  readonly #queue = new PoolTaskQueue();
  /** Jobs taken back from the queue, whose rejection is expected. */
  readonly #unqueued = new Set<number>();
  #started = 0;
  readonly dispatchSlots: number;
  /** Errors that killed a worker, with what we know of the death (keyed by the error object). */
  readonly #deaths = new WeakMap<object, Death>();
  #destroyed = false;
  #destroying: Promise<void> | undefined;

  constructor(options: ResolvedExecutorOptions, events: BackendEvents) {
    this.#events = events;
    this.#process = options.runtime === 'process';
    this.#prefetch = options.prefetch;
    this.#initialWorkers = options.workers;
    // One job per worker may be handed over ahead, so that a worker finds its next job the moment
    // it is done with one (as much as the executor's own queue allows): with `prefetch`, posted
    // to the worker itself, which runs it after the current one; without, waiting in tinypool's
    // queue, which posts it once the worker's reply is in.
    this.dispatchSlots = options.workers + Math.min(options.workers, options.maxQueue);
    const config: WorkerBootConfig = {
      module: options.module,
      exportName: options.name,
      seed: options.seed,
      transferResults: options.transferResults && !this.#process,
      workers: options.workers,
      dispatchSlots: this.dispatchSlots,
      prefetch: options.prefetch,
      clockBase: Math.round(performance.timeOrigin + performance.now()),
    };
    this.#control = this.#process ? processControlPlane(config) : threadControlPlane(config);
    const entry = workerEntry();
    this.#pool = new Tinypool({
      filename: entry.filename,
      name: 'default',
      runtime: this.#process ? 'child_process' : 'worker_threads',
      minThreads: options.workers,
      maxThreads: options.workers,
      // Never more jobs than dispatch slots: tinypool's queue never refuses one.
      maxQueue: this.dispatchSlots,
      taskQueue: this.#queue,
      concurrentTasksPerWorker: options.prefetch ? 2 : 1,
      workerData: this.#control.workerData,
      env: { ...options.env, ...entry.env },
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      ...(options.execArgv === undefined ? {} : { execArgv: [...options.execArgv] }),
      ...(this.#process ? { serialization: 'advanced' as const } : {}),
    });
    // A worker that dies between jobs is reported on the pool; the per-worker listeners handle it.
    this.#pool.on('error', () => {});
    this.#watchNewWorkers();
  }

  dispatch(task: TaskMessage, transfer: readonly TransferListItem[]): Dispatch {
    if (this.#destroyed) {
      const failure = new WorkerFailure('terminated', undefined, undefined, undefined);
      return { done: Promise.reject(failure), stop: () => {} };
    }
    // No per-task AbortSignal: creating one per job costs more than the job itself in garbage
    // collection (Node 20). A hard stop ends the job's worker directly (see `#stop`).
    this.#queue.submitting = task.j;
    let run: Promise<ReplyMessage>;
    try {
      run = this.#pool.run(task, {
        transferList: transfer as TransferListItem[],
      }) as Promise<ReplyMessage>;
    } finally {
      this.#queue.submitting = undefined;
    }
    const done = run.catch((error: unknown) => {
      if (this.#unqueued.delete(task.j)) {
        throw new WorkerFailure('unqueued', undefined, undefined, error);
      }
      throw this.#classify(error, task.j);
    });
    return { done, stop: () => this.#stop(task.j) };
  }

  unqueue(job: number): boolean {
    if (this.#destroyed) return false;
    this.#unqueued.add(job);
    if (this.#queue.cancelJob(job)) return true;
    this.#unqueued.delete(job);
    return false;
  }

  runTimeOf(job: number): number | undefined {
    return this.#control.runTimeOf(job);
  }

  requestAbort(d: number, job: number, code: number): void {
    this.#control.requestAbort(d, job, code);
  }

  clearAbort(d: number): void {
    this.#control.clearAbort(d);
  }

  workerOf(job: number): number | undefined {
    return this.#control.workerOf(job);
  }

  slots(): readonly SlotSnapshot[] {
    const slots = this.#control.slots();
    return this.#destroyed ? slots.map((s) => ({ ...s, state: 'stopped', job: 0 })) : slots;
  }

  liveWorkers(): number {
    return this.#exits.size;
  }

  restarts(): number {
    return Math.max(0, this.#started - this.#initialWorkers);
  }

  destroy(): Promise<void> {
    this.#destroyed = true;
    this.#destroying ??= this.#terminate();
    return this.#destroying;
  }

  async #terminate(): Promise<void> {
    const workers = this.#pool.threads;
    await this.#pool.destroy();
    // A worker that failed while being destroyed makes tinypool start a replacement: end those too.
    for (let round = 0; round < 3 && this.#pool.threads.length > 0; round++) {
      workers.push(...this.#pool.threads);
      await this.#pool.destroy();
    }
    // Workers tinypool removed earlier (stopped, crashed) may still be shutting down.
    workers.push(...this.#exits.keys());
    await Promise.all(this.#exits.values());
    // Tinypool closes each worker's port once that worker's `terminate()` settles, which can be
    // after `destroy()` resolved: wait for the same promises, then for the closed ports' handles
    // to be released (two turns of the event loop), so that nothing is left when close() resolves.
    await Promise.all(workers.map((worker) => worker.terminate().catch(() => undefined)));
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Ends the worker running `job`, as if it had died: tinypool removes it, rejects its task with
   * our error and starts a replacement. A job not yet started on a worker is left alone: its
   * abort flag makes the worker skip it.
   */
  #stop(job: number): void {
    // Once destroying, a replacement would outlive the pool.
    if (this.#destroyed) return;
    const slot = this.#control.workerOf(job);
    if (slot === undefined) return;
    const worker = this.#pool.threads.find((w) => this.#control.slotOf(w) === slot);
    if (worker === undefined) return;
    const error = new WorkerExitedError(
      'Worker stopped by the executor',
      { worker: slot, job },
      undefined,
    );
    this.#deaths.set(error, { kind: 'stopped', worker: slot, exitCode: undefined, running: job });
    worker.emit('error', error);
    this.#watchNewWorkers();
  }

  /** Why `job`'s dispatch failed with `error`. */
  #classify(error: unknown, job: number): WorkerFailure {
    const death = isObject(error) ? this.#deaths.get(error) : undefined;
    if (death !== undefined) {
      // A worker's death fails every job it held: the one it ran, and one handed over ahead.
      const unstarted = this.#prefetch && death.running !== undefined && death.running !== job;
      const kind = unstarted ? 'unstarted' : death.kind;
      return new WorkerFailure(kind, death.worker, death.exitCode, error);
    }
    if (this.#destroyed) return new WorkerFailure('terminated', undefined, undefined, error);
    if (isObject(error) && (error as { name?: unknown }).name === 'DataCloneError') {
      return new WorkerFailure('unsent', undefined, undefined, error);
    }
    return new WorkerFailure(kindOf(error, this.#process), undefined, undefined, error);
  }

  /** The job worker slot `slot` is running (0: none), read before its slot is forgotten. */
  #runningOn(slot: number | undefined): number | undefined {
    return slot === undefined ? undefined : this.#control.slots()[slot]?.job;
  }

  /** Attaches to workers tinypool started since the last call (after every event that may start one). */
  #watchNewWorkers(): void {
    for (const worker of this.#pool.threads) {
      if (this.#seen.has(worker)) continue;
      this.#seen.add(worker);
      this.#started++;
      this.#control.attach(worker);
      this.#exits.set(
        worker,
        new Promise<void>((resolve) => {
          worker.once('exit', (code: unknown) => {
            this.#exits.delete(worker);
            resolve();
            this.#onExit(worker, code);
          });
        }),
      );
      worker.on('error', (error: unknown) => this.#onError(worker, error));
    }
  }

  #onExit(worker: TinypoolWorker, code: unknown): void {
    if (this.#destroyed) return;
    const listed = this.#pool.threads.includes(worker);
    if (!listed) this.#control.forget(worker);
    // Tinypool removes a worker from `threads` before terminating it, and on every `error`: one
    // still listed exited on its own, silently (threads only; processes get an `error` from
    // tinypool itself).
    if (this.#process || !listed) return;
    const slot = this.#control.slotOf(worker);
    const exitCode = typeof code === 'number' ? code : undefined;
    const error = new WorkerExitedError(
      `Worker exited with code ${String(exitCode)}`,
      slot === undefined ? {} : { worker: slot },
      exitCode,
    );
    const running = this.#runningOn(slot);
    this.#deaths.set(error, { kind: 'exited', worker: slot, exitCode, running });
    worker.emit('error', error);
  }

  #onError(worker: TinypoolWorker, error: unknown): void {
    // Tinypool's own listener ran first: the worker is removed, its task rejected, and (unless
    // it was starting) a replacement created.
    if (this.#destroyed) return;
    const slot = this.#control.slotOf(worker);
    if (isObject(error) && !this.#deaths.has(error)) {
      const exitCode = this.#process
        ? ((worker as unknown as { process: { exitCode: number | null } }).process.exitCode ??
          undefined)
        : undefined;
      const running = this.#runningOn(slot);
      this.#deaths.set(error, {
        kind: kindOf(error, this.#process),
        worker: slot,
        exitCode,
        running,
      });
    }
    const ready = this.#control.isReady(worker);
    this.#control.forget(worker);
    this.#watchNewWorkers();
    if (!ready) this.#events.onBroken(error);
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function kindOf(error: unknown, process: boolean): WorkerFailureKind {
  if (isObject(error) && (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'out-of-memory';
  }
  return process ? 'exited' : 'crashed';
}
