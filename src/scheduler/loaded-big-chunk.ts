import type { BigChunkInfo } from '../loaders/big-chunk.js';

/**
 * What `LightDL.bigChunks$` emits for every big chunk loaded: its info plus the load time.
 *
 * @example
 * ```ts
 * dl.bigChunks$.subscribe((c) => console.log(c.patient, c.region, `${c.loadMs.toFixed(0)} ms`));
 * ```
 */
export interface LoadedBigChunk extends BigChunkInfo {
  /** Time the load job took in its worker, in milliseconds. */
  readonly loadMs: number;
}
