/**
 * A job's record inside the executor, from submission to settlement.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import type { Dispatch } from './backend.js';

/** How a job ended, for its caller. */
export type Settlement =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Where a job is. */
export type JobPhase = 'waiting' | 'queued' | 'running' | 'done';

/** A job in the executor. Mutable; owned by `ExecutorCore`. */
export interface CoreJob {
  readonly id: number;
  readonly index: number | undefined;
  readonly session: number;
  readonly input: unknown;
  readonly transfer: readonly TransferListItem[];
  readonly timeoutMs: number;
  readonly onSettle: (settlement: Settlement, id: number) => void;
  attempt: number;
  phase: JobPhase;
  /** The caller was answered (result, error or abort); a running job may still occupy a worker. */
  settled: boolean;
  admittedAt: number;
  dispatch: Dispatch | undefined;
  /** Dispatch slot while running. */
  slot: number;
  timer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  /** Removes the abort listener from the caller's signal. */
  unlisten: () => void;
}
