import type { RegionRef } from '../errors.js';

/**
 * Where a big chunk came from. Built-in loaders fill every field; a user loader returns
 * `region`/`record` if it has them and may add anything structured-cloneable in `extra`.
 */
export interface BigChunkInfo {
  /** Id of the patient the chunk was read from. */
  readonly patient: string;
  /** Name of the record (file) it was read from, if one. */
  readonly record?: string;
  /** The region read, in the coordinates of its level. */
  readonly region?: RegionRef;
  /** Downsample of that level relative to level 0 (1 at level 0). */
  readonly downsample?: number;
  /** The tenure (scheduling of the patient into a slot) that loaded it. */
  readonly tenure: number;
  /** 0-based index of this big chunk within its tenure. */
  readonly index: number;
  /** Anything else the loader wants to pass along (must be structured-cloneable). */
  readonly extra?: unknown;
}

/**
 * A big region of one patient's image, as returned by a big-chunk loader: interleaved pixels
 * (height × width × channels, row-major) plus where they came from.
 *
 * @example
 * ```ts
 * const chunk: BigChunk = {
 *   data: new Uint8Array(2048 * 2048 * 3), width: 2048, height: 2048, channels: 3,
 *   info: { patient: 'p1', tenure: 0, index: 0 },
 * };
 * ```
 */
export interface BigChunk {
  /** Pixels, `height × width × channels` bytes, row-major, channels interleaved. */
  readonly data: Uint8Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Channels per pixel (3 for RGB, 4 for RGBA, 1 for grey). */
  readonly channels: number;
  /** Where the chunk came from. */
  readonly info: BigChunkInfo;
}
