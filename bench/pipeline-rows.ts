/**
 * The rows of the pipeline benchmark, in the order they run and print. Each runs in a fresh
 * child process (`bench/pipeline-row.ts`), one after the other.
 */
import { lightdlRow } from './pipeline-lightdl-row.js';
import { ceilingRow, plainLoopRow, sharpInFlightRow } from './pipeline-main-rows.js';
import { rawTinypoolRow } from './pipeline-tinypool-row.js';
import type { RowDefinition } from './pipeline-workload.js';

/** Row id → definition. `ceiling` must stay first: the other rows are compared with it. */
export const PIPELINE_ROWS: ReadonlyMap<string, RowDefinition> = new Map([
  ['ceiling', ceilingRow],
  ['plain-loop', plainLoopRow],
  ['sharp-x2', sharpInFlightRow(2)],
  ['sharp-x4', sharpInFlightRow(4)],
  ['raw-tinypool', rawTinypoolRow],
  [
    'lightdl-defaults',
    lightdlRow('defaults', {
      numBigChunkLoaders: 4,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
      loader: 'randomRegion',
    }),
  ],
  [
    'lightdl-module',
    lightdlRow('defaults', {
      numBigChunkLoaders: 4,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      prefetchBatches: 2,
      loader: 'module',
    }),
  ],
]);
