import type { FailureInfo } from './failure-info.js';
import type { TenureRef } from './scheduler-state.js';

/**
 * Something that happened, fed to {@link step} by the shell. Every event carries `now`, the
 * virtual time in milliseconds (non-decreasing from one event to the next).
 *
 * @remarks
 * Slot events name the `slot` and the `tenure` they belong to (both taken from the `load`
 * command that started the work). An event of a tenure that is no longer the slot's current one,
 * or that does not fit the slot's phase, is **stale**: it is ignored and counted
 * (`counters.ignoredEvents`). A malformed event, or one the shell can never legitimately send (a tenure
 * never issued to the slot, more small chunks than the granted credit, an unknown patient, time
 * going backwards), makes `step` throw a `TypeError` or `RangeError`. After `close`, every event is
 * ignored.
 *
 * - `start`: begin scheduling (fills the slots). Events before it are accepted; slot events are
 *   then all stale.
 * - `tick`: time passed; a swap happens when `now ≥ nextSwapAt`, backoffs that expired let their
 *   patients be admitted again. Feed one at {@link nextWakeAt}. (Every event carries time, so any
 *   event does what a tick does, besides its own effect.)
 * - `loadSucceeded` / `loadFailed`: the outcome of a `load` command.
 * - `workerExited`: the worker running the slot's load or collector died.
 * - `chunkProduced`: the slot's collector produced `count` small chunks (default 1), within credit.
 * - `collectorFinished`: the collector is done with its big chunk; the slot loads another big chunk
 *   of the same patient within the same tenure.
 * - `collectorFailed`: the collector threw or timed out.
 * - `pull`: the consumer asks for `count` more small chunks (demand, like `request(n)`); they are
 *   delivered as they become available.
 * - `message`: a message for a patient (delivered now if it is loading or collecting, else queued
 *   for its next load).
 * - `checkpoint`: the slot's collector set the patient's checkpoint (handed to its next loads).
 * - `close`: stop everything.
 *
 * @example
 * ```ts
 * let state = initialState({ patients: [{ id: 'a' }] });
 * ({ state } = step(state, { type: 'start', now: 0 }));
 * ({ state } = step(state, { type: 'loadSucceeded', now: 40, slot: 0, tenure: 1 }));
 * ```
 */
export type SchedulerEvent =
  | StartEvent
  | TickEvent
  | LoadSucceededEvent
  | LoadFailedEvent
  | WorkerExitedEvent
  | ChunkProducedEvent
  | CollectorFinishedEvent
  | CollectorFailedEvent
  | PullEvent
  | PatientMessageEvent
  | CheckpointEvent
  | SchedulerCloseEvent;

/**
 * Fields every event carries.
 *
 * @example
 * ```ts
 * const base: SchedulerEventBase = { now: performance.now() };
 * ```
 */
export interface SchedulerEventBase {
  /** Virtual time in milliseconds; never less than the previous event's. */
  readonly now: number;
}

/**
 * Fields every slot event carries: the slot and the tenure (as given by the `load` command).
 *
 * @example
 * ```ts
 * const where: SlotEventBase = { now: 0, slot: 1, tenure: 4 };
 * ```
 */
export interface SlotEventBase extends SchedulerEventBase, TenureRef {}

/**
 * Begin scheduling.
 *
 * @example
 * ```ts
 * const start: StartEvent = { type: 'start', now: 0 };
 * ```
 */
export interface StartEvent extends SchedulerEventBase {
  /** Discriminant. */
  readonly type: 'start';
}

/**
 * Time passed.
 *
 * @example
 * ```ts
 * const tick: TickEvent = { type: 'tick', now: 2000 };
 * ```
 */
export interface TickEvent extends SchedulerEventBase {
  /** Discriminant. */
  readonly type: 'tick';
}

/**
 * A `load` command's big chunk is ready.
 *
 * @example
 * ```ts
 * const ok: LoadSucceededEvent = { type: 'loadSucceeded', now: 40, slot: 0, tenure: 1 };
 * ```
 */
export interface LoadSucceededEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'loadSucceeded';
}

/**
 * A `load` command failed.
 *
 * @example
 * ```ts
 * const failed: LoadFailedEvent = {
 *   type: 'loadFailed', now: 40, slot: 0, tenure: 1, error: { code: 'ERR_FILE_NOT_FOUND', message: 'No such file' },
 * };
 * ```
 */
export interface LoadFailedEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'loadFailed';
  /** Why. */
  readonly error: FailureInfo;
}

/**
 * The worker running the slot's load or collector exited.
 *
 * @example
 * ```ts
 * const exited: WorkerExitedEvent = { type: 'workerExited', now: 40, slot: 0, tenure: 1 };
 * ```
 */
export interface WorkerExitedEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'workerExited';
  /**
   * Why, if known.
   *
   * @defaultValue `{ code: 'ERR_WORKER_EXITED', message: 'The worker exited' }`
   */
  readonly error?: FailureInfo;
}

/**
 * The slot's collector produced small chunks.
 *
 * @example
 * ```ts
 * const produced: ChunkProducedEvent = { type: 'chunkProduced', now: 45, slot: 0, tenure: 1, count: 8 };
 * ```
 */
export interface ChunkProducedEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'chunkProduced';
  /**
   * How many (an integer ≥ 1, at most the outstanding credit).
   *
   * @defaultValue `1`
   */
  readonly count?: number;
}

/**
 * The slot's collector is done with its big chunk.
 *
 * @example
 * ```ts
 * const finished: CollectorFinishedEvent = { type: 'collectorFinished', now: 90, slot: 0, tenure: 1 };
 * ```
 */
export interface CollectorFinishedEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'collectorFinished';
}

/**
 * The slot's collector threw or timed out.
 *
 * @example
 * ```ts
 * const failed: CollectorFailedEvent = {
 *   type: 'collectorFailed', now: 60, slot: 0, tenure: 1, error: { code: 'ERR_COLLECTOR_FAILED', message: 'threw' },
 * };
 * ```
 */
export interface CollectorFailedEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'collectorFailed';
  /** Why. */
  readonly error: FailureInfo;
}

/**
 * The consumer wants more small chunks.
 *
 * @example
 * ```ts
 * const pull: PullEvent = { type: 'pull', now: 50, count: 32 };
 * ```
 */
export interface PullEvent extends SchedulerEventBase {
  /** Discriminant. */
  readonly type: 'pull';
  /** How many more (an integer ≥ 0), added to the outstanding demand. */
  readonly count: number;
}

/**
 * A message for a patient's loader and collector.
 *
 * @example
 * ```ts
 * const message: PatientMessageEvent = { type: 'message', now: 60, patient: 'a', payload: 'focus on tumour' };
 * ```
 */
export interface PatientMessageEvent extends SchedulerEventBase {
  /** Discriminant. */
  readonly type: 'message';
  /** The patient's id. */
  readonly patient: string;
  /** Anything the loader or collector understands. */
  readonly payload: unknown;
}

/**
 * The slot's collector set the patient's checkpoint.
 *
 * @example
 * ```ts
 * const checkpoint: CheckpointEvent = { type: 'checkpoint', now: 70, slot: 0, tenure: 1, value: { visited: 12 } };
 * ```
 */
export interface CheckpointEvent extends SlotEventBase {
  /** Discriminant. */
  readonly type: 'checkpoint';
  /** The new checkpoint (opaque). */
  readonly value: unknown;
}

/**
 * Stop everything.
 *
 * @example
 * ```ts
 * const close: SchedulerCloseEvent = { type: 'close', now: 100 };
 * ```
 */
export interface SchedulerCloseEvent extends SchedulerEventBase {
  /** Discriminant. */
  readonly type: 'close';
}
