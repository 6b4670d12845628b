/**
 * The rows of the pipeline benchmark, in the order they run and print. Each runs in a fresh
 * child process (`bench/pipeline-row.ts`), one after the other.
 *
 * LightDL runs twice: with its defaults, and tuned. Tuning swept `numBigChunkLoaders` (2, 4, 8),
 * the queue bounds (16/64 to 64/512), `prefetchBatches` (1, 2) and `maxInFlightLoads` (1 to 4)
 * on the canonical workload; every setting but `maxInFlightLoads: 1` (one decode at a time,
 * −27%) landed within run-to-run noise of the others (about ±5%), two active patients with the
 * default queues being the best by a little and holding the least memory of those.
 */
import { lightdlRow } from './pipeline-lightdl-row.js';
import { ceilingRow, plainLoopRow, sharpInFlightRow } from './pipeline-main-rows.js';
import { tfDataRow } from './pipeline-tfdata-row.js';
import { rawTinypoolRow } from './pipeline-tinypool-row.js';
import { rawTinypoolSharedRow } from './pipeline-tinypool-shared-row.js';
import type { RowDefinition } from './pipeline-workload.js';

/** Row id → definition. `ceiling` must stay first: the other rows are compared with it. */
export const PIPELINE_ROWS: ReadonlyMap<string, RowDefinition> = new Map([
  ['ceiling', ceilingRow],
  ['plain-loop', plainLoopRow],
  ['sharp-x2', sharpInFlightRow(2)],
  ['sharp-x4', sharpInFlightRow(4)],
  ['tf-data', tfDataRow],
  ['raw-tinypool', rawTinypoolRow],
  ['raw-tinypool-shared', rawTinypoolSharedRow],
  [
    'lightdl-defaults',
    lightdlRow('defaults', {
      numBigChunkLoaders: 4,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
    }),
  ],
  [
    'lightdl-tuned',
    lightdlRow('tuned', {
      numBigChunkLoaders: 2,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
    }),
  ],
  [
    'lightdl-released',
    lightdlRow('tuned', {
      numBigChunkLoaders: 2,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
      release: true,
    }),
  ],
  [
    'lightdl-views',
    lightdlRow('tuned', {
      numBigChunkLoaders: 2,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
      collate: 'views',
    }),
  ],
]);
