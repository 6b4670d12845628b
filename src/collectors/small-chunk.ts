import type { BigChunkInfo } from '../loaders/index.js';

/** Where a small chunk came from. */
export interface SmallChunkInfo {
  /** Id of the patient. */
  readonly patient: string;
  /** Pyramid level of the pixels. */
  readonly level: number;
  /** Left edge, in pixels of that level (absolute: within the image, not the big chunk). */
  readonly x: number;
  /** Top edge, in pixels of that level (absolute). */
  readonly y: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The big chunk it was cut from. */
  readonly parent: BigChunkInfo;
  /** The collector call that produced it (0-based within its big chunk). */
  readonly callCount: number;
  /** Anything else the collector passes along (structured-cloneable). */
  readonly extra?: unknown;
}

/**
 * A small chunk (a patch) as delivered in batches: interleaved pixels plus where it came from.
 *
 * @example
 * ```ts
 * for await (const batch of dl) {
 *   for (const info of batch.smallChunks) console.log(info.patient, info.x, info.y);
 * }
 * ```
 */
export interface SmallChunk {
  /** Pixels, `height × width × channels` bytes, row-major, channels interleaved. */
  readonly data: Uint8Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Channels per pixel. */
  readonly channels: number;
  /** Where it came from. */
  readonly info: SmallChunkInfo;
}
