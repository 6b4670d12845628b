import type { FailureInfo } from './failure-info.js';
import type { TenureRef } from './scheduler-state.js';

/**
 * Something the shell must do, returned by {@link step}. Execute the commands of one step in
 * order.
 *
 * @remarks
 * - `load`: start loading a big chunk of `patient` for the slot's tenure (then collect from it);
 *   report the outcome with `loadSucceeded` / `loadFailed` / `workerExited`. A swap never stops a
 *   load in flight; only `closed` does (outcomes after it are ignored).
 * - `grant`: the slot's collector may produce up to `credit` more small chunks (credit adds up).
 * - `stop`: end the slot's tenure: abort its collector (or, when closing, its load); `'discard'` drops the slot's
 *   buffered chunks of that tenure (`discarded` of them), `'drain'` keeps them for later `merge`s.
 * - `merge`: move small chunks, oldest first, from slot buffers into the merged queue, in the
 *   order listed (round-robin across slots).
 * - `deliver`: hand the `count` oldest chunks of the merged queue to the consumer.
 * - `deliverMessage`: pass `payload` to the running load or collector of the tenure.
 * - `error`: report a failure on the error stream (a `LoaderError` or `CollectorError`).
 * - `setAside`: report that the patient was set aside (a `PatientSetAsideError`).
 * - `idle`: no slot holds a patient and none can be admitted before `until`; tick then.
 * - `exhausted`: every patient is set aside; no load will ever be issued again. Chunks already
 *   queued can still be pulled; then end the stream with an error.
 * - `fatal`: a patient exhausted its retries under `onExhausted: 'fail'`; `closed` follows.
 * - `closed`: abort everything still running and drop every buffered chunk (`dropped` of them).
 *
 * @example
 * ```ts
 * function run(cmd: SchedulerCommand): void {
 *   switch (cmd.type) {
 *     case 'load': console.log(`load ${cmd.patient} into slot ${cmd.slot}`); break;
 *     default: break;
 *   }
 * }
 * ```
 */
export type SchedulerCommand =
  | LoadCommand
  | GrantCommand
  | StopCommand
  | MergeCommand
  | DeliverCommand
  | DeliverMessageCommand
  | ErrorCommand
  | SetAsideCommand
  | IdleCommand
  | ExhaustedCommand
  | FatalCommand
  | ClosedCommand;

/**
 * Start loading a big chunk for a tenure.
 *
 * @example
 * ```ts
 * const load: LoadCommand = {
 *   type: 'load', slot: 0, tenure: 1, patient: 'a', attempt: 1, bigChunk: 0,
 *   checkpoint: undefined, messages: [], lastMessage: undefined,
 * };
 * ```
 */
export interface LoadCommand {
  /** Discriminant. */
  readonly type: 'load';
  /** Slot index. */
  readonly slot: number;
  /** Tenure id: unique, increasing; every event about this work must carry it. */
  readonly tenure: number;
  /** Patient id. */
  readonly patient: string;
  /** 1-based attempt: consecutive failures of the patient so far, plus one. */
  readonly attempt: number;
  /** 0-based index of this big chunk within the tenure. */
  readonly bigChunk: number;
  /** The patient's checkpoint (`undefined` until a collector sets one). */
  readonly checkpoint: unknown;
  /** Messages queued for the patient since their last delivery, oldest first. */
  readonly messages: readonly unknown[];
  /** The last message ever sent to the patient (delivered or not), or `undefined`. */
  readonly lastMessage: unknown;
}

/**
 * More credit for a slot's collector.
 *
 * @example
 * ```ts
 * const grant: GrantCommand = { type: 'grant', slot: 0, tenure: 1, credit: 64 };
 * ```
 */
export interface GrantCommand {
  /** Discriminant. */
  readonly type: 'grant';
  /** Slot index. */
  readonly slot: number;
  /** Tenure id. */
  readonly tenure: number;
  /** Additional small chunks the collector may produce. */
  readonly credit: number;
}

/**
 * End a slot's tenure.
 *
 * @example
 * ```ts
 * const stop: StopCommand = {
 *   type: 'stop', slot: 0, tenure: 1, patient: 'a', reason: 'swap', disposition: 'drain', discarded: 0,
 * };
 * ```
 */
export interface StopCommand {
  /** Discriminant. */
  readonly type: 'stop';
  /** Slot index. */
  readonly slot: number;
  /** Tenure id being ended. */
  readonly tenure: number;
  /** Patient of that tenure. */
  readonly patient: string;
  /** Why: swapped out, failed, or closing. */
  readonly reason: 'swap' | 'failure' | 'close';
  /** Keep (`'drain'`) or drop (`'discard'`) the tenure's buffered small chunks. */
  readonly disposition: 'drain' | 'discard';
  /** How many buffered chunks are dropped (0 for `'drain'`). */
  readonly discarded: number;
}

/**
 * One move of a `merge` command: chunks of one tenure, from the head of its slot's buffer.
 *
 * @example
 * ```ts
 * const move: MergeMove = { slot: 2, tenure: 7, count: 3 };
 * ```
 */
export interface MergeMove extends TenureRef {
  /** How many of the slot's oldest buffered chunks to move. */
  readonly count: number;
}

/**
 * Move small chunks from slot buffers into the merged queue.
 *
 * @example
 * ```ts
 * const merge: MergeCommand = {
 *   type: 'merge',
 *   moves: [{ slot: 0, tenure: 1, count: 1 }, { slot: 1, tenure: 2, count: 1 }],
 * };
 * ```
 */
export interface MergeCommand {
  /** Discriminant. */
  readonly type: 'merge';
  /** The moves, in order. */
  readonly moves: readonly MergeMove[];
}

/**
 * Hand small chunks to the consumer.
 *
 * @example
 * ```ts
 * const deliver: DeliverCommand = { type: 'deliver', count: 32 };
 * ```
 */
export interface DeliverCommand {
  /** Discriminant. */
  readonly type: 'deliver';
  /** How many of the merged queue's oldest chunks. */
  readonly count: number;
}

/**
 * Pass a message to a running tenure.
 *
 * @example
 * ```ts
 * const m: DeliverMessageCommand = { type: 'deliverMessage', slot: 0, tenure: 1, patient: 'a', payload: { zoom: 2 } };
 * ```
 */
export interface DeliverMessageCommand {
  /** Discriminant. */
  readonly type: 'deliverMessage';
  /** Slot index. */
  readonly slot: number;
  /** Tenure id. */
  readonly tenure: number;
  /** Patient id. */
  readonly patient: string;
  /** The message. */
  readonly payload: unknown;
}

/**
 * Report a failure.
 *
 * @example
 * ```ts
 * const err: ErrorCommand = {
 *   type: 'error', source: 'loader', patient: 'a', slot: 0, tenure: 1, attempt: 1,
 *   cause: { code: 'ERR_IMAGE_DECODE', message: 'Truncated tile' }, retryAt: 2000,
 * };
 * ```
 */
export interface ErrorCommand {
  /** Discriminant. */
  readonly type: 'error';
  /** What failed: the big-chunk load or the collector. */
  readonly source: 'loader' | 'collector';
  /** Patient id. */
  readonly patient: string;
  /** Slot index. */
  readonly slot: number;
  /** Tenure id. */
  readonly tenure: number;
  /** 1-based attempt that failed. */
  readonly attempt: number;
  /** The underlying failure. */
  readonly cause: FailureInfo;
  /** When the patient may be admitted again (ms), or `undefined` if it will not be. */
  readonly retryAt: number | undefined;
}

/**
 * Report that a patient was set aside.
 *
 * @example
 * ```ts
 * const aside: SetAsideCommand = {
 *   type: 'setAside', patient: 'a', failures: 3, cause: { code: 'ERR_WORKER_EXITED', message: 'The worker exited' },
 * };
 * ```
 */
export interface SetAsideCommand {
  /** Discriminant. */
  readonly type: 'setAside';
  /** Patient id. */
  readonly patient: string;
  /** Consecutive failures that led to it. */
  readonly failures: number;
  /** The last failure. */
  readonly cause: FailureInfo;
}

/**
 * Nothing is loadable until `until`.
 *
 * @example
 * ```ts
 * const idle: IdleCommand = { type: 'idle', until: 5000 };
 * ```
 */
export interface IdleCommand {
  /** Discriminant. */
  readonly type: 'idle';
  /** Earliest time a patient can be admitted again (ms). */
  readonly until: number;
}

/**
 * No patient will ever be loadable again.
 *
 * @example
 * ```ts
 * const done: ExhaustedCommand = { type: 'exhausted', patients: ['a', 'b'] };
 * ```
 */
export interface ExhaustedCommand {
  /** Discriminant. */
  readonly type: 'exhausted';
  /** The patients set aside (all of them), in dataset order. */
  readonly patients: readonly string[];
}

/**
 * The failure policy gave up on the whole scheduler.
 *
 * @example
 * ```ts
 * const fatal: FatalCommand = {
 *   type: 'fatal', patient: 'a', failures: 3, cause: { code: 'ERR_IMAGE_DECODE', message: 'Truncated tile' },
 * };
 * ```
 */
export interface FatalCommand {
  /** Discriminant. */
  readonly type: 'fatal';
  /** Patient that exhausted its retries. */
  readonly patient: string;
  /** Its consecutive failures. */
  readonly failures: number;
  /** The last failure. */
  readonly cause: FailureInfo;
}

/**
 * The scheduler is closed.
 *
 * @example
 * ```ts
 * const closed: ClosedCommand = { type: 'closed', reason: 'close', dropped: 12 };
 * ```
 */
export interface ClosedCommand {
  /** Discriminant. */
  readonly type: 'closed';
  /** `'close'` (asked for) or `'fatal'` (failure policy). */
  readonly reason: 'close' | 'fatal';
  /** Buffered small chunks dropped (slot buffers and merged queue). */
  readonly dropped: number;
}
