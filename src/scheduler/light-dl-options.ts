import type { SmallChunk } from '../collectors/small-chunk.js';
import type { Batch } from './batch.js';
import type { SmallChunkCollectorSpec } from '../collectors/small-chunk-collector.js';
import type { Dataset, Patient } from '../dataset/index.js';
import type { BigChunkLoaderSpec } from '../loaders/big-chunk-loader.js';
import type { FailurePolicy } from './scheduler-config.js';
import type { SchedulerPolicy } from './scheduler-policy.js';

/**
 * Options of {@link LightDL}. Only `dataset`, `bigChunkLoader` and `smallChunkCollector` are
 * required; every other field has a documented default.
 *
 * @remarks
 * Memory is bounded by configuration: at most `numBigChunkLoaders` big chunks are held (in shared
 * memory, one per active patient) plus, for reuse, the memory of at most `maxInFlightLoads`
 * finished ones, at most `maxLengthQueueSmallChunk` small chunks per active patient plus
 * `maxLengthQueueLightDL` merged ones, plus `prefetchBatches` collated batches (and at most
 * `prefetchBatches + 2` released ones kept for reuse).
 *
 * @typeParam B - The batch type `collate` makes (the default {@link Batch}).
 * @example
 * ```ts
 * const options: LightDLOptions = {
 *   dataset,
 *   bigChunkLoader: randomRegion({ level: 0, width: 2048, height: 2048 }),
 *   smallChunkCollector: randomPatches({ width: 224, height: 224, perBigChunk: 64 }),
 *   numBigChunkLoaders: 4,
 *   batchSize: 32,
 *   seed: 1,
 * };
 * ```
 */
export interface LightDLOptions<B = Batch> {
  /** The patients to stream from. */
  readonly dataset: Dataset;
  /** Reads big chunks: a built-in (`randomRegion(…)`) or `{ module, export, options }`. */
  readonly bigChunkLoader: BigChunkLoaderSpec;
  /** Cuts small chunks: a built-in (`randomPatches(…)`) or `{ module, export, options }`. */
  readonly smallChunkCollector: SmallChunkCollectorSpec;
  /**
   * Patients active at once (PyDmed's `num_bigchunkloaders`), integer ≥ 1. May exceed the number
   * of patients: then every patient is active and none is swapped.
   * @defaultValue `4`
   */
  readonly numBigChunkLoaders?: number;
  /** Small chunks buffered per active patient, integer ≥ 1. @defaultValue `64` */
  readonly maxLengthQueueSmallChunk?: number;
  /** Small chunks in the merged queue, integer ≥ 1. @defaultValue `512` */
  readonly maxLengthQueueLightDL?: number;
  /**
   * Milliseconds between two swaps (one patient out, one in), ≥ 1. A consumer that stops pulling
   * (and leaves the merged queue full) holds the next swap until it pulls again, so a paused
   * training loop does not keep the loader swapping and reloading. @defaultValue `2000`
   */
  readonly rescheduleIntervalMs?: number;
  /** Small chunks per batch, integer ≥ 1. @defaultValue `32` */
  readonly batchSize?: number;
  /**
   * Whether the last, smaller batch is delivered when the stream ends (it only ends on error or
   * exhaustion). @defaultValue `true`
   */
  readonly emitPartialBatch?: boolean;
  /**
   * Turns the small chunks of one batch into what is delivered; receives a fresh array and the
   * 0-based batch index. @defaultValue {@link collateBatch} (one `Uint8Array` N×H×W×C + metadata)
   */
  readonly collate?: (chunks: SmallChunk[], index: number) => B;
  /** Collated batches read ahead by the async iterator, integer ≥ 1. @defaultValue `2` */
  readonly prefetchBatches?: number;
  /** Seed of every random choice (scheduling, regions, patches). @defaultValue `0` */
  readonly seed?: number;
  /**
   * Which patient to admit and evict: `'pydmed'` (evict at random, admit by 1/(1 + times
   * scheduled), never-scheduled first), `'weighted'` (by `weight`), `'label-balanced'` (a label
   * uniformly, then a patient in it), `'round-robin'` (in turn) or a custom function.
   * @defaultValue `'pydmed'`
   */
  readonly policy?: SchedulerPolicy;
  /**
   * Scheduling weight of each patient for `'weighted'`: a metadata key holding a number, or a
   * function. @defaultValue every patient weighs 1
   */
  readonly weight?: string | ((patient: Patient) => number);
  /**
   * The label of each patient for `'label-balanced'` (and shown to custom policies): a metadata
   * key or a function. @defaultValue `'label'`
   */
  readonly label?: string | ((patient: Patient) => string | undefined);
  /**
   * What happens to a swapped-out patient's buffered small chunks: `'drain'` delivers them,
   * `'discard'` drops them; both are counted in the stats. @defaultValue `'drain'`
   */
  readonly onSwap?: 'drain' | 'discard';
  /** Retry, backoff and give-up rules for failing patients. @defaultValue 3 failures in a row set a patient aside, backoff 1 s doubling to 30 s */
  readonly failure?: FailurePolicy;
  /** Messages kept per patient while it is not active, integer ≥ 1. @defaultValue `16` */
  readonly maxPendingMessages?: number;
  /** Worker threads, as for `JobExecutor`: a count, a fraction of the CPUs, or -1 for all. @defaultValue `-1` */
  readonly workers?: number;
  /** Big-chunk loads running at once, integer ≥ 1. @defaultValue the number of workers */
  readonly maxInFlightLoads?: number;
  /**
   * A job (one load, or one batch of collector calls) running longer fails, in ms. Counted from
   * when the job starts in its worker; the loader's and collector's modules are loaded when the
   * workers start, so their import is not counted. @defaultValue `60000`
   */
  readonly jobTimeoutMs?: number;
  /** Re-runs of a job whose worker died, before it counts as a failure. @defaultValue `1` */
  readonly maxRetries?: number;
  /** Image reader: `'auto'`, `'sharp'` or `'utif2'`. @defaultValue `'auto'` */
  readonly reader?: 'auto' | 'sharp' | 'utif2';
  /** Largest region a loader may read, in pixels. @defaultValue the reader's default */
  readonly maxRegionPixels?: number;
  /**
   * Nice value (0–19, higher is lower priority) given to every thread of the process except the
   * main thread (workers, libuv's pool where decoding runs, libvips), so the training loop's
   * thread never starves; `null` leaves priorities alone. Linux only; elsewhere reported once on
   * `errors$`. @defaultValue `10`
   */
  readonly workerNice?: number | null;
  /**
   * CPU sets (Linux, via `taskset`): `main` pins the main thread, `workers` every other thread (as
   * for `workerNice`). lightdl runs loaders and collectors on one pool, so PyDmed's separate
   * `loaders` and `collectors` sets (as `fromPyDmedConfig` maps them) are merged into `workers`.
   * @defaultValue no pinning
   */
  readonly coreAssignment?: {
    /** CPUs of the main thread. */
    readonly main?: readonly number[];
    /** CPUs of every other thread. */
    readonly workers?: readonly number[];
    /** Merged into `workers` (PyDmed's big-chunk loaders). */
    readonly loaders?: readonly number[];
    /** Merged into `workers` (PyDmed's small-chunk collectors). */
    readonly collectors?: readonly number[];
  };
  /** Served samples remembered for `servedLog` (positions only, no pixels), integer ≥ 0. @defaultValue `100000` */
  readonly servedLogSize?: number;
  /** Period of `stats$` in ms, ≥ 10. @defaultValue `1000` */
  readonly statsIntervalMs?: number;
  /** Runs loaders and collectors in-process instead of in workers, for debugging. @defaultValue `false` */
  readonly debug?: boolean;
  /** Aborting it closes the loader; the stream fails with `signal.reason`. */
  readonly signal?: AbortSignal;
}
