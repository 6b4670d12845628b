/**
 * Options of {@link JobExecutor.close}.
 *
 * @example
 * ```ts
 * declare const ex: JobExecutor<number, number>;
 * await ex.close({ timeoutMs: 2_000 });
 * ```
 */
export interface CloseOptions {
  /**
   * How long running jobs may go on, in milliseconds, before their workers are terminated (and
   * the jobs fail with `ExecutorClosedError`): a number ≥ 0 or `Infinity`.
   *
   * @defaultValue the executor's `closeTimeoutMs`
   */
  readonly timeoutMs?: number;
}
