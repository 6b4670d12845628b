/**
 * Pixels read from an image region: interleaved 8-bit samples, row-major.
 *
 * @remarks
 * `data.buffer` is a standalone `ArrayBuffer` holding exactly `data`'s bytes (`byteOffset` 0,
 * not a slice of Node's pooled `Buffer` memory), so transferring it between threads moves it
 * without a copy.
 *
 * @example
 * ```ts
 * import { MessageChannel } from 'node:worker_threads';
 * import type { RegionPixels } from 'lightdl';
 *
 * declare const px: RegionPixels;
 * const { port1 } = new MessageChannel();
 * port1.postMessage(px, [px.data.buffer as ArrayBuffer]); // px.data is detached afterwards
 * port1.close();
 * ```
 */
export interface RegionPixels {
  /** `height × width × channels` bytes, row-major, channels interleaved (R, G, B[, A]). */
  readonly data: Uint8Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 3 (RGB) or 4 (RGBA, when `alpha: true` was asked for). */
  readonly channels: 3 | 4;
}
