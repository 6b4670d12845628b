/**
 * Percentiles of a duration over the most recent jobs (up to 1,024), in milliseconds. All zero
 * while `count` is 0.
 *
 * @example
 * ```ts
 * declare const ex: JobExecutor<number, number>;
 * const { p50, p99 } = ex.report().runMs;
 * console.log(`run time p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
 * ```
 */
export interface DurationSummary {
  /** Samples the summary covers (at most 1,024, the most recent). */
  readonly count: number;
  /** Mean, ms. */
  readonly mean: number;
  /** Median, ms. */
  readonly p50: number;
  /** 90th percentile, ms. */
  readonly p90: number;
  /** 99th percentile, ms. */
  readonly p99: number;
  /** Largest sample, ms. */
  readonly max: number;
}
