/**
 * The worker side of the link to the executor: who this worker is, the control block (threads)
 * or IPC side channel (processes) through which it reports its state and learns of aborts, and
 * how its replies travel (moved buffers for threads).
 *
 * @internal
 */
import { threadId } from 'node:worker_threads';
import { markMovable as ownMarkMovable, Tinypool } from 'tinypool';
import {
  clockNow,
  ControlLayout,
  SlotState,
  type ProcessControlMessage,
  type ReplyMessage,
  type ThreadWorkerData,
  type WorkerBootConfig,
} from './protocol.js';
import type { WorkerInfo } from './worker-info.js';
import { workerInfoFor, type JobAbortSource } from './worker-runtime.js';

/** The worker's view of the executor. */
export interface WorkerLink {
  readonly config: WorkerBootConfig;
  readonly info: WorkerInfo;
  markReady(): void;
  markBusy(job: number): void;
  markIdle(): void;
  abortSource(dispatchSlot: number, job: number): JobAbortSource;
  /** What the job handler returns to tinypool for `reply`. */
  pack(reply: ReplyMessage, transfer: readonly ArrayBuffer[]): unknown;
}

/**
 * The `markMovable` of the tinypool instance that runs this worker. When the worker entry is
 * loaded through tsx, its own `import 'tinypool'` is a second module instance whose marks the
 * running tinypool does not recognise, so the bootstrap module hands over the right one.
 */
const markMovable =
  ((globalThis as Record<symbol, unknown>)[Symbol.for('lightdl.pool.markMovable')] as
    typeof ownMarkMovable | undefined) ?? ownMarkMovable;

interface WaitAsyncResult {
  readonly async: boolean;
  readonly value: Promise<'ok' | 'timed-out'> | 'not-equal' | 'timed-out';
}
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): WaitAsyncResult;
  }
).waitAsync.bind(Atomics);

/** Connects to the executor; resolves once the worker knows its identity. */
export async function connectWorker(): Promise<WorkerLink> {
  const state = process.__tinypool_state__;
  const slot = state.workerId - 1;
  return state.isChildProcess === true
    ? connectProcess(slot)
    : connectThread(slot, state.workerData as ThreadWorkerData);
}

function connectThread(slot: number, data: ThreadWorkerData): WorkerLink {
  const { config } = data;
  const n = config.workers;
  const control = new Int32Array(data.control);
  Atomics.store(control, ControlLayout.state(n, slot), SlotState.starting);
  Atomics.store(control, ControlLayout.running(n, slot), 0);
  Atomics.store(control, ControlLayout.threadId(n, slot), threadId);
  const generation = Atomics.add(control, ControlLayout.generations(n, slot), 1);
  const running = ControlLayout.running(n, slot);
  const startedAt = ControlLayout.startedAt(n, slot);
  return {
    config,
    info: workerInfoFor(config, slot, generation),
    markReady: () => Atomics.store(control, ControlLayout.state(n, slot), SlotState.ready),
    markBusy(job) {
      // The start time first: whoever sees the job running reads a valid start.
      Atomics.store(control, startedAt, clockNow(config.clockBase));
      Atomics.store(control, running, job);
    },
    markIdle: () => Atomics.store(control, running, 0),
    abortSource: (d) => sharedAbortSource(control, ControlLayout.abort(n, d)),
    pack(reply, transfer) {
      if (transfer.length === 0) return reply;
      const movable = { [Tinypool.transferableSymbol]: transfer, [Tinypool.valueSymbol]: reply };
      markMovable(movable);
      return movable;
    },
  };
}

function sharedAbortSource(control: Int32Array, index: number): JobAbortSource {
  return {
    code: () => Atomics.load(control, index),
    watch(onAbort) {
      let active = true;
      const check = (): void => {
        if (!active) return;
        const code = Atomics.load(control, index);
        if (code !== 0) {
          active = false;
          onAbort(code);
          return;
        }
        const wait = waitAsync(control, index, 0);
        if (wait.async) void (wait.value as Promise<unknown>).then(check);
        else check();
      };
      check();
      return () => {
        if (!active) return;
        active = false;
        // Wake the pending waiter so it does not outlive the job.
        Atomics.notify(control, index);
      };
    },
  };
}

/** Early aborts a child remembers, at most (they are for jobs that may run elsewhere). */
const EARLY_ABORTS = 64;

async function connectProcess(slot: number): Promise<WorkerLink> {
  const send = (message: ProcessControlMessage): void => {
    process.send?.(message);
  };
  let current: { job: number; code: number; listeners: Set<(code: number) => void> } | undefined;
  // Aborts are broadcast to every child; one may arrive just before its job starts here.
  const early = new Map<number, number>();
  const boot = await new Promise<{ config: WorkerBootConfig; generation: number }>((resolve) => {
    process.on('message', (raw: unknown) => {
      const message = raw as Partial<ProcessControlMessage> | null;
      if (message === null || typeof message !== 'object') return;
      if (message.__lightdl__ === 'boot') {
        const boot = message as Extract<ProcessControlMessage, { __lightdl__: 'boot' }>;
        resolve({ config: boot.config, generation: boot.generation });
      } else if (message.__lightdl__ === 'abort') {
        const abort = message as Extract<ProcessControlMessage, { __lightdl__: 'abort' }>;
        if (current === undefined || current.job !== abort.job) {
          early.set(abort.job, abort.code);
          if (early.size > EARLY_ABORTS) early.delete(early.keys().next().value!);
          return;
        }
        if (current.code !== 0) return;
        current.code = abort.code;
        for (const listener of [...current.listeners]) listener(abort.code);
        current.listeners.clear();
      }
    });
    send({ __lightdl__: 'hello', slot });
  });
  return {
    config: boot.config,
    info: workerInfoFor(boot.config, slot, boot.generation),
    markReady: () => send({ __lightdl__: 'ready' }),
    markBusy(job) {
      current = { job, code: early.get(job) ?? 0, listeners: new Set() };
      early.delete(job);
      send({ __lightdl__: 'busy', job, at: clockNow(boot.config.clockBase) });
    },
    markIdle() {
      current = undefined;
      send({ __lightdl__: 'idle' });
    },
    abortSource(_d, job) {
      return {
        code: () => (current?.job === job ? current.code : 0),
        watch(onAbort) {
          const job$ = current;
          if (job$ === undefined || job$.job !== job) return () => {};
          if (job$.code !== 0) {
            onAbort(job$.code);
            return () => {};
          }
          job$.listeners.add(onAbort);
          return () => job$.listeners.delete(onAbort);
        },
      };
    },
    pack: (reply) => reply,
  };
}
