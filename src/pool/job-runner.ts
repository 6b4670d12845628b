import type { TransferListItem } from 'node:worker_threads';

/** Per-job options accepted by {@link JobRunner.run}. */
export interface JobRunOptions {
  /** Aborts the job: removed if queued, told cooperatively if running. Rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** ArrayBuffers (or other transferables) in the input to move to the worker instead of copying. */
  readonly transfer?: readonly TransferListItem[];
  /** Per-job timeout in milliseconds; overrides the executor's default. */
  readonly timeoutMs?: number;
}

/**
 * Anything that runs one job at a time per call and settles with its result: the
 * `JobExecutor` implements it, and so can a test double or an in-process function.
 * Operators such as `mapInPool` depend on this interface only.
 *
 * @typeParam I - Job input.
 * @typeParam O - Job result.
 * @example
 * ```ts
 * const inline: JobRunner<number, number> = { run: async (x) => x * 2 };
 * ```
 */
export interface JobRunner<I, O> {
  /** Runs `input` as a job, waiting for capacity first; resolves with the result. */
  run(input: I, options?: JobRunOptions): Promise<O>;
}
