/**
 * What a worker's answer, or its death, means for the job's caller: the typed errors of
 * `src/errors.ts`, with the worker, job and attempt as context.
 *
 * @internal
 */
import {
  JobFailedError,
  WorkerExitedError,
  WorkerModuleError,
  WorkerOutOfMemoryError,
} from '../errors.js';
import type { Settlement } from './core-job.js';
import type { ReplyMessage } from './protocol.js';
import { reviveError } from './serialized-error.js';

/** How a job ended, for the executor's counters. */
export type SettlementKind = 'completed' | 'failed' | 'cancelled';

/** The settlement a worker's reply stands for. */
export function settlementOfReply(
  reply: ReplyMessage,
  job: { readonly id: number; readonly attempt: number },
  module: string,
): { readonly kind: SettlementKind; readonly settlement: Settlement } {
  if (reply.ok) return { kind: 'completed', settlement: { ok: true, value: reply.v } };
  const cause = reviveError(reply.e);
  switch (reply.k) {
    case 'job': {
      const context = { worker: reply.w, job: job.id, attempt: job.attempt };
      const error = new JobFailedError(reply.e.message, context, reply.e.stack, { cause });
      return { kind: 'failed', settlement: { ok: false, error } };
    }
    case 'module': {
      const context = { path: module, worker: reply.w, job: job.id };
      const error = new WorkerModuleError(reply.e.message, context, { cause });
      return { kind: 'failed', settlement: { ok: false, error } };
    }
    case 'aborted':
      return { kind: 'cancelled', settlement: { ok: false, error: cause } };
  }
}

/** The error for a job whose worker died under it (on its last attempt). */
export function deathError(
  kind: 'exited' | 'crashed' | 'out-of-memory',
  exitCode: number | undefined,
  cause: unknown,
  context: { readonly worker?: number; readonly job: number; readonly attempt: number },
): Error {
  if (kind === 'out-of-memory') {
    return new WorkerOutOfMemoryError('Worker ran out of memory', context, { cause });
  }
  const message =
    kind === 'exited'
      ? `Worker exited with code ${String(exitCode)}`
      : `Worker died of an uncaught error: ${messageOf(cause)}`;
  return new WorkerExitedError(message, context, exitCode ?? (kind === 'crashed' ? 1 : undefined), {
    cause,
  });
}

/** An error's message, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
