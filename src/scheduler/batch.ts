import type { SmallChunkInfo } from '../collectors/small-chunk.js';

/**
 * A batch as the default collation makes it: every small chunk's pixels in one typed array,
 * plus per-sample metadata.
 *
 * @example
 * ```ts
 * for await (const batch of dl) {
 *   const [n, h, w, c] = batch.shape;
 *   console.log(n, h, w, c, batch.smallChunks[0]?.patient);
 * }
 * ```
 */
export interface Batch {
  /** Pixels of every sample, `N × H × W × C` bytes (NHWC, row-major). */
  readonly data: Uint8Array;
  /** `[N, H, W, C]`. */
  readonly shape: readonly [number, number, number, number];
  /** Where each sample came from, in order. */
  readonly smallChunks: readonly SmallChunkInfo[];
  /** 0-based batch number. */
  readonly index: number;
}
