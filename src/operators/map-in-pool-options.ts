import type { TransferListItem } from 'node:worker_threads';

/**
 * Options of {@link mapInPool}.
 *
 * @typeParam I - Job input type.
 * @example
 * ```ts
 * const options: MapInPoolOptions<Uint8Array> = {
 *   concurrency: 2,
 *   capacity: 4,
 *   ordered: false,
 *   transfer: (pixels) => [pixels.buffer as ArrayBuffer],
 * };
 * ```
 */
export interface MapInPoolOptions<I> {
  /**
   * Jobs running at once, at most: an integer ≥ 1. Match it to the runner's capacity (for a
   * `JobExecutor`, its workers) to keep every worker busy.
   *
   * @defaultValue `1`
   */
  readonly concurrency?: number;
  /**
   * Items the stage holds at once, at most: running jobs plus finished results not yet passed
   * downstream (waiting for downstream credit or, when `ordered`, for an earlier item). An integer
   * ≥ `concurrency`. It bounds the read-ahead: the stage never takes more than this many items
   * from upstream beyond what it has emitted. A slow head item in `ordered` mode stalls intake
   * once the stage is full, instead of growing memory.
   *
   * @defaultValue `concurrency`
   */
  readonly capacity?: number;
  /**
   * `true`: results are emitted in source order (a reorder buffer, bounded by `capacity`).
   * `false`: in completion order.
   *
   * @defaultValue `true`
   */
  readonly ordered?: boolean;
  /**
   * Aborting it fails every subscription with `signal.reason`, aborts every running job with the
   * same reason, and unsubscribes upstream.
   *
   * @defaultValue `undefined` (not abortable)
   */
  readonly signal?: AbortSignal;
  /**
   * Returns the transferables of an input (e.g. its pixel `ArrayBuffer`s), moved to the worker
   * instead of copied. The stage must not use an input after it was transferred.
   *
   * @defaultValue `undefined` (nothing transferred)
   */
  readonly transfer?: (input: I) => readonly TransferListItem[];
  /**
   * Per-job timeout in milliseconds, passed to the runner (overrides its default): a number > 0.
   *
   * @defaultValue `undefined` (the runner's default)
   */
  readonly timeoutMs?: number;
}
