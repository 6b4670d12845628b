/**
 * The executor's side of the link to its workers, beside tinypool's own channel: which slot and
 * generation each worker has, whether it finished starting, what it is running, and how to tell
 * it to abort a job. Threads share a control block (`SharedArrayBuffer` + `Atomics`); processes
 * talk over their IPC channel.
 *
 * @internal
 */
import type { ChildProcess } from 'node:child_process';
import type { TinypoolWorker } from 'tinypool';
import type { SlotSnapshot } from './backend.js';
import {
  clockNow,
  ControlLayout,
  SlotState,
  type ProcessControlMessage,
  type ThreadWorkerData,
  type WorkerBootConfig,
} from './protocol.js';

/** The main side of the control link. */
export interface ControlPlane {
  /** What tinypool passes to every worker as `workerData`. */
  readonly workerData: ThreadWorkerData | undefined;
  /** Starts following a new worker. */
  attach(worker: TinypoolWorker): void;
  /** The slot a worker occupies, once known. */
  slotOf(worker: TinypoolWorker): number | undefined;
  /** Marks a dead worker's slot as starting again (unless a replacement already took it). */
  forget(worker: TinypoolWorker): void;
  /** Whether a worker finished starting (its module loaded, `workerInit` done). */
  isReady(worker: TinypoolWorker): boolean;
  requestAbort(d: number, job: number, code: number): void;
  clearAbort(d: number): void;
  workerOf(job: number): number | undefined;
  /** Milliseconds since `job` started on its worker, if it has. */
  runTimeOf(job: number): number | undefined;
  slots(): SlotSnapshot[];
}

/** Control through a shared block of `Int32` fields (see {@link ControlLayout}). */
export function threadControlPlane(config: WorkerBootConfig): ControlPlane {
  const n = config.workers;
  const size = ControlLayout.size(n, config.dispatchSlots);
  const buffer = new SharedArrayBuffer(size * Int32Array.BYTES_PER_ELEMENT);
  const control = new Int32Array(buffer);
  const slotOf = (worker: TinypoolWorker): number | undefined => {
    for (let s = 0; s < n; s++) {
      if (Atomics.load(control, ControlLayout.threadId(n, s)) === worker.threadId) return s;
    }
    return undefined;
  };
  return {
    workerData: { config, control: buffer },
    attach: () => {},
    slotOf,
    forget(worker) {
      const s = slotOf(worker);
      if (s === undefined) return;
      Atomics.store(control, ControlLayout.state(n, s), SlotState.starting);
      Atomics.store(control, ControlLayout.running(n, s), 0);
    },
    isReady(worker) {
      const s = slotOf(worker);
      return (
        s !== undefined && Atomics.load(control, ControlLayout.state(n, s)) === SlotState.ready
      );
    },
    requestAbort(d, _job, code) {
      const index = ControlLayout.abort(n, d);
      Atomics.store(control, index, code);
      Atomics.notify(control, index);
    },
    clearAbort: (d) => Atomics.store(control, ControlLayout.abort(n, d), 0),
    workerOf(job) {
      for (let s = 0; s < n; s++) {
        if (Atomics.load(control, ControlLayout.running(n, s)) === job) return s;
      }
      return undefined;
    },
    runTimeOf(job) {
      for (let s = 0; s < n; s++) {
        if (Atomics.load(control, ControlLayout.running(n, s)) !== job) continue;
        return clockNow(config.clockBase) - Atomics.load(control, ControlLayout.startedAt(n, s));
      }
      return undefined;
    },
    slots() {
      const out: SlotSnapshot[] = [];
      for (let s = 0; s < n; s++) {
        const generation = Atomics.load(control, ControlLayout.generations(n, s)) - 1;
        const ready = Atomics.load(control, ControlLayout.state(n, s)) === SlotState.ready;
        const job = Atomics.load(control, ControlLayout.running(n, s));
        const state = generation < 0 || !ready ? 'starting' : job !== 0 ? 'busy' : 'idle';
        out.push({ workerId: s, generation, state, job });
      }
      return out;
    },
  };
}

/** A child that cannot receive is going away; its job fails through the exit path. */
const ignoreSendError = (): void => {};

interface ProcessSlot {
  generation: number;
  ready: boolean;
  job: number;
  /** When `job` started, on the {@link clockNow} clock. */
  at: number;
}

/** Control over each child's IPC channel (messages tinypool's child entry ignores). */
export function processControlPlane(config: WorkerBootConfig): ControlPlane {
  const n = config.workers;
  const nextGeneration = new Array<number>(n).fill(0);
  const slotByWorker = new WeakMap<TinypoolWorker, number>();
  const stateByWorker = new WeakMap<TinypoolWorker, ProcessSlot>();
  const current: (ProcessSlot | undefined)[] = new Array<ProcessSlot | undefined>(n).fill(
    undefined,
  );
  const children = new Set<ChildProcess>();
  const childOf = (worker: TinypoolWorker): ChildProcess =>
    (worker as unknown as { process: ChildProcess }).process;
  return {
    workerData: undefined,
    attach(worker) {
      const child = childOf(worker);
      children.add(child);
      child.once('exit', () => children.delete(child));
      child.on('message', (raw: unknown) => {
        const message = raw as Partial<ProcessControlMessage> | null;
        if (message === null || typeof message !== 'object') return;
        switch (message.__lightdl__) {
          case 'hello': {
            const slot = (message as { slot: number }).slot;
            const generation = nextGeneration[slot]!;
            nextGeneration[slot] = generation + 1;
            const state: ProcessSlot = { generation, ready: false, job: 0, at: 0 };
            slotByWorker.set(worker, slot);
            stateByWorker.set(worker, state);
            current[slot] = state;
            const boot: ProcessControlMessage = { __lightdl__: 'boot', config, generation };
            child.send(boot, ignoreSendError);
            break;
          }
          case 'ready':
            if (stateByWorker.has(worker)) stateByWorker.get(worker)!.ready = true;
            break;
          case 'busy': {
            const state = stateByWorker.get(worker);
            const busy = message as { job: number; at: number };
            if (state !== undefined) {
              state.job = busy.job;
              state.at = busy.at;
            }
            break;
          }
          case 'idle':
            if (stateByWorker.has(worker)) stateByWorker.get(worker)!.job = 0;
            break;
          default:
            break;
        }
      });
    },
    slotOf: (worker) => slotByWorker.get(worker),
    forget(worker) {
      const state = stateByWorker.get(worker);
      if (state === undefined) return;
      state.ready = false;
      state.job = 0;
    },
    isReady: (worker) => stateByWorker.get(worker)?.ready === true,
    requestAbort(d, job, code) {
      const message: ProcessControlMessage = { __lightdl__: 'abort', d, job, code };
      for (const child of children) {
        if (!child.connected) continue;
        try {
          child.send(message, ignoreSendError);
        } catch {
          // the child is going away; its job fails through the exit path
        }
      }
    },
    clearAbort: () => {},
    workerOf(job) {
      for (let s = 0; s < n; s++) if (current[s]?.job === job) return s;
      return undefined;
    },
    runTimeOf(job) {
      for (let s = 0; s < n; s++) {
        const slot = current[s];
        if (slot?.job === job) return clockNow(config.clockBase) - slot.at;
      }
      return undefined;
    },
    slots() {
      const out: SlotSnapshot[] = [];
      for (let s = 0; s < n; s++) {
        const slot = current[s];
        const state =
          slot === undefined || !slot.ready ? 'starting' : slot.job !== 0 ? 'busy' : 'idle';
        out.push({ workerId: s, generation: slot?.generation ?? -1, state, job: slot?.job ?? 0 });
      }
      return out;
    },
  };
}
