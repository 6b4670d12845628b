import type { TransferListItem } from 'node:worker_threads';

/**
 * Options of {@link JobExecutor.map}.
 *
 * @typeParam I - Job input.
 * @example
 * ```ts
 * const options: MapOptions<Uint8Array> = {
 *   ordered: false,
 *   concurrency: 4,
 *   transfer: (pixels) => [pixels.buffer],
 * };
 * ```
 */
export interface MapOptions<I> {
  /**
   * `true`: results come out in source order. `false`: in completion order.
   *
   * @defaultValue `true`
   */
  readonly ordered?: boolean;
  /**
   * Inputs of this map in the executor at once, at most, counting finished results not yet
   * consumed: an integer ≥ 1. It bounds the read-ahead: the source is read only while fewer are
   * pending.
   *
   * Ordered, a result that finished ahead of an earlier one counts as pending until its turn;
   * hence the larger default, which keeps the workers busy while results wait for a slow job.
   *
   * @defaultValue `2 × (workers + maxQueue)` when `ordered`, else `workers + maxQueue` (the
   *   executor's capacity)
   */
  readonly concurrency?: number;
  /**
   * Aborts the whole map: running jobs are aborted with `signal.reason`, the source is closed,
   * and the iteration rejects with `signal.reason`.
   *
   * @defaultValue `undefined`
   */
  readonly signal?: AbortSignal;
  /**
   * Per-job timeout in milliseconds (a number ≥ 1 or `Infinity`), overriding the executor's.
   *
   * @defaultValue the executor's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /**
   * Returns what to move (not copy) to the worker for an input, e.g. `(a) => [a.buffer]` (typed
   * arrays and `SharedArrayBuffer`s are accepted: a view's buffer moves, a shared buffer is
   * skipped). The map must not touch an input after handing it over.
   *
   * @defaultValue `undefined` (everything is copied)
   */
  readonly transfer?: (
    input: I,
  ) => readonly (TransferListItem | ArrayBufferView | SharedArrayBuffer)[];
  /**
   * `false`: yield results, and throw the first failure (in its turn when `ordered`), ending the
   * map. `true`: yield a {@link JobOutcome} per input, failures included, and never throw for a
   * job.
   *
   * @defaultValue `false`
   */
  readonly settle?: boolean;
  /**
   * Items an `Observable` source may be ahead of the map, at most: an integer ≥ 1. An
   * `Observable` cannot be paused, so the map buffers what it pushes early and fails with
   * `QueueOverflowError` beyond this. Iterables and async iterables are pulled on demand and
   * never buffered.
   *
   * @defaultValue `1024`
   */
  readonly sourceBufferSize?: number;
}
