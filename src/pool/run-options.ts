import type { TransferListItem } from 'node:worker_threads';

/**
 * Options of {@link JobExecutor.run} and {@link JobExecutor.tryPut}: those of every
 * {@link JobRunner} (`signal`, `transfer`, `timeoutMs`), plus an `index` to tag the job's
 * outcome on `results$`.
 *
 * @example
 * ```ts
 * declare const ex: JobExecutor<Uint8Array, number>;
 * const pixels = new Uint8Array(1 << 20);
 * await ex.run(pixels, { transfer: [pixels.buffer], timeoutMs: 5_000, index: 3 });
 * ```
 */
export interface RunOptions {
  /**
   * Aborts the job: removed at once if it waits for room or for a worker; if running, the caller
   * is answered at once and the job told through its `context.signal`. Rejects with
   * `signal.reason`. Any number of jobs may share one signal: the executor puts one listener on
   * it, whatever their number, and removes it when the last of them settles.
   *
   * @defaultValue `undefined`
   */
  readonly signal?: AbortSignal;
  /**
   * What to move (not copy) to the worker: `ArrayBuffer`s, `MessagePort`s, or typed arrays (their
   * buffer moves). Moved buffers are detached here once the job is sent. A job with moved input is
   * not re-run if its worker dies. `SharedArrayBuffer`s are shared, never moved: they are skipped.
   *
   * @defaultValue `[]`
   */
  readonly transfer?: readonly (TransferListItem | ArrayBufferView | SharedArrayBuffer)[];
  /**
   * Timeout in milliseconds (a number ≥ 1, or `Infinity`), overriding the executor's `timeoutMs`.
   *
   * @defaultValue the executor's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * A number echoed as `index` in the job's {@link JobOutcome} on `results$`, to match outcomes
   * with inputs: a finite number.
   *
   * @defaultValue `undefined` (no `index` in the outcome)
   */
  readonly index?: number;
}
