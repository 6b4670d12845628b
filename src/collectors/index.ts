/**
 * The small-chunk tier: collectors that cut small chunks (patches) out of a big chunk.
 *
 * @packageDocumentation
 */
export type { SmallChunk, SmallChunkInfo } from './small-chunk.js';
export type {
  SmallChunkCollector,
  SmallChunkCollectorSpec,
  SmallChunkResult,
} from './small-chunk-collector.js';
export type { CollectorContext } from './collector-context.js';
export { FINISHED } from './finished.js';
export { cropPixels } from './crop-pixels.js';
export { randomPatches } from './random-patches.js';
export type { RandomPatchesOptions } from './random-patches.js';
