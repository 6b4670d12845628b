/**
 * The LightDL rows: the real loader on the canonical workload, with the built-in random-region
 * loader and random-patch collector, two workers, batches of 32.
 */
import { randomPatches } from '../src/collectors/random-patches.js';
import type { SmallChunk } from '../src/collectors/small-chunk.js';
import { randomRegion } from '../src/loaders/random-region.js';
import { LightDL } from '../src/scheduler/light-dl.js';
import {
  BATCH_SIZE,
  PATCH_BYTES,
  PATCH_SIZE,
  PATCHES_PER_REGION,
  REGION_BYTES,
  REGION_SIZE,
  WORKERS,
  type RowDefinition,
  type RowEnv,
  type RowOutput,
} from './pipeline-workload.js';

/** The LightDL settings a row uses; everything else is LightDL's default. */
export interface LightDLRowConfig {
  readonly numBigChunkLoaders: number;
  readonly maxLengthQueueSmallChunk: number;
  readonly maxLengthQueueLightDL: number;
  /** Batches the async iterator reads ahead. */
  readonly prefetchBatches: number;
  /** Big-chunk loads running at once. @defaultValue LightDL's (the number of workers) */
  readonly maxInFlightLoads?: number;
  /**
   * `'views'`: a collate that hands on the small chunks themselves (views of the shared blocks
   * they were cut into) instead of copying them into one array per batch: what batching costs.
   * @defaultValue the built-in collate
   */
  readonly collate?: 'views';
  /** Whether the consumer hands each batch back with `release()` once done with it. */
  readonly release?: boolean;
}

/**
 * The memory LightDL's configured buffers may hold, in MiB: every small-chunk queue full, the
 * merged queue full, the prefetched batches, and one big chunk per active patient.
 */
export function lightdlBufferMiB(c: LightDLRowConfig): number {
  const patches =
    c.numBigChunkLoaders * c.maxLengthQueueSmallChunk +
    c.maxLengthQueueLightDL +
    c.prefetchBatches * BATCH_SIZE;
  return (patches * PATCH_BYTES + c.numBigChunkLoaders * REGION_BYTES) / 2 ** 20;
}

/** What the `'views'` collate makes of a batch's small chunks: nothing but a list. */
interface ViewsBatch {
  readonly shape: readonly [number];
  readonly chunks: readonly SmallChunk[];
}

/** A LightDL row with these settings. */
export function lightdlRow(name: string, c: LightDLRowConfig): RowDefinition {
  return {
    label: `LightDL ${name} (${c.numBigChunkLoaders} loaders, queues ${c.maxLengthQueueSmallChunk}/${c.maxLengthQueueLightDL}, prefetch ${c.prefetchBatches}${c.maxInFlightLoads === undefined ? '' : `, ${c.maxInFlightLoads} loads in flight`}${c.collate === 'views' ? ', no batch array' : ''}${c.release === true ? ', batches released' : ''})`,
    workers: true,
    bufferMiB: lightdlBufferMiB(c),
    // Its batches are not one array each, as the headline asks: shown for what batching costs.
    checkTargets: c.collate !== 'views',
    async *run(env: RowEnv): AsyncGenerator<RowOutput> {
      const options = {
        dataset: env.dataset,
        bigChunkLoader: randomRegion({ level: 0, width: REGION_SIZE, height: REGION_SIZE }),
        smallChunkCollector: randomPatches({
          width: PATCH_SIZE,
          height: PATCH_SIZE,
          perBigChunk: PATCHES_PER_REGION,
        }),
        numBigChunkLoaders: c.numBigChunkLoaders,
        maxLengthQueueSmallChunk: c.maxLengthQueueSmallChunk,
        maxLengthQueueLightDL: c.maxLengthQueueLightDL,
        prefetchBatches: c.prefetchBatches,
        ...(c.maxInFlightLoads === undefined ? {} : { maxInFlightLoads: c.maxInFlightLoads }),
        batchSize: BATCH_SIZE,
        workers: WORKERS,
        seed: env.seed,
      };
      if (c.collate === 'views') {
        const collate = (chunks: SmallChunk[]): ViewsBatch => ({ shape: [chunks.length], chunks });
        yield* drive(new LightDL<ViewsBatch>({ ...options, collate }), env, false);
      } else {
        yield* drive(new LightDL(options), env, c.release === true);
      }
    },
  };
}

/** Consumes a LightDL row's batches (handing each back if `release`), then reports its figures. */
async function* drive<B extends { readonly shape: readonly number[] }>(
  dl: LightDL<B>,
  env: RowEnv,
  release: boolean,
): AsyncGenerator<RowOutput> {
  const errors: string[] = [];
  const subscription = dl.errors$.subscribe((e) => errors.push(`${e.code}: ${e.message}`));
  try {
    for await (const batch of dl) {
      const count = batch.shape[0] ?? 0;
      if (release) dl.release(batch);
      yield { count };
    }
  } finally {
    const s = dl.stats();
    env.reads.reads += s.bigChunksLoaded;
    env.reads.totalMs += s.meanLoadMs * s.bigChunksLoaded;
    const closing = performance.now();
    await dl.close();
    subscription.unsubscribe();
    const c = s.scheduler.counters;
    Object.assign(env.details, {
      closeMs: performance.now() - closing,
      bigChunksLoaded: s.bigChunksLoaded,
      meanLoadMs: s.meanLoadMs,
      firstChunkMs: s.firstChunkMs ?? -1,
      buffered: s.buffered,
      produced: c.produced,
      delivered: c.delivered,
      drained: c.drained,
      dropped: c.dropped.swap + c.dropped.failure + c.dropped.close,
      swaps: c.swaps,
      errors: errors.length,
      firstError: errors[0] ?? '',
      poolJobs: s.pool?.completed ?? 0,
      poolRunMsMean: s.pool?.runMs.mean ?? 0,
      poolRunMsP50: s.pool?.runMs.p50 ?? 0,
      poolRunMsP90: s.pool?.runMs.p90 ?? 0,
      poolWaitMsMean: s.pool?.waitMs.mean ?? 0,
      poolWaitMsP90: s.pool?.waitMs.p90 ?? 0,
      poolRestarts: s.pool?.restarts ?? 0,
      liveWorkersAfterClose: dl.stats().pool?.liveWorkers ?? 0,
      batchesReused: s.batchesReused,
      reclaimHints: s.reclaimHints,
    });
  }
}
