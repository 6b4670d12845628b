/**
 * The big-chunk tier: loaders that read one big region of a patient's image on the worker pool.
 *
 * @packageDocumentation
 */
export type { BigChunk, BigChunkInfo } from './big-chunk.js';
export type { BigChunkLoader, BigChunkLoaderSpec, BigChunkResult } from './big-chunk-loader.js';
export type { LoaderContext, PatientData, TaskRandom } from './loader-context.js';
export { randomRegion } from './random-region.js';
export type { RandomRegionOptions } from './random-region.js';
