import type { ExecutorReport } from '../pool/executor-report.js';
import type { SchedulerStats } from './scheduler-stats.js';

/**
 * An immutable snapshot of a {@link LightDL}: throughput, queues, per-patient counts, the
 * scheduler's counters and the worker pool's report.
 *
 * @example
 * ```ts
 * const s = dl.stats();
 * console.log(`${s.smallChunksPerSecond.toFixed(0)} patches/s, ${s.buffered} buffered`);
 * ```
 */
export interface LightDLStats {
  /** Milliseconds since the loader started (0 before). */
  readonly elapsedMs: number;
  /** Whether it started (first subscription). */
  readonly started: boolean;
  /** Whether it is closed. */
  readonly closed: boolean;
  /** Small chunks delivered to the consumer. */
  readonly smallChunksDelivered: number;
  /** Batches delivered. */
  readonly batchesDelivered: number;
  /** Small chunks delivered per second since the start. */
  readonly smallChunksPerSecond: number;
  /** Milliseconds from the start to the first delivered small chunk (`undefined` before). */
  readonly firstChunkMs: number | undefined;
  /** Small chunks held now (per-patient buffers plus the merged queue). */
  readonly buffered: number;
  /** Big chunks loaded. */
  readonly bigChunksLoaded: number;
  /** Mean time of a big-chunk load in a worker, in ms (0 before the first). */
  readonly meanLoadMs: number;
  /** Errors reported on `errors$`. */
  readonly errors: number;
  /**
   * Collect jobs that cut their small chunks into a reused block of shared memory (one whose
   * small chunks had all been copied out) instead of a new one.
   */
  readonly blocksReused: number;
  /** Batches written into the memory of a released one (see `LightDL.release`). */
  readonly batchesReused: number;
  /**
   * Times LightDL made V8 start a full garbage collection to free shared memory (big chunks,
   * small-chunk blocks, shared batches) that the main thread had let go: V8 does not count shared
   * memory towards its collections, so without one after every 128 MiB received, memory that is
   * no longer used could pile up. Stays 0 while collections come by themselves (the built-in
   * collate's batches bring them about).
   */
  readonly reclaimHints: number;
  /**
   * Big-chunk loads whose loader got, from `LoaderContext.allocate`, the memory of a finished big
   * chunk instead of new memory (the built-in `randomRegion` loader allocates this way).
   */
  readonly bigChunksReused: number;
  /** The scheduler's view: slots, patients, counters (produced, delivered, drained, discarded…). */
  readonly scheduler: SchedulerStats;
  /** The worker pool's report (`undefined` before the start). */
  readonly pool: ExecutorReport | undefined;
}
