/**
 * Options of `SharpReader.open` and `Utif2Reader.open` (and, with `reader`, of `openImage`).
 *
 * @example
 * ```ts
 * import type { ReaderOptions } from 'lightdl';
 *
 * const options: ReaderOptions = { maxRegionPixels: 4096 * 4096, signal: AbortSignal.timeout(5000) };
 * ```
 */
export interface ReaderOptions {
  /** Aborts the open; it rejects with `signal.reason`. Not kept for later reads. */
  readonly signal?: AbortSignal;
  /**
   * Largest region, in pixels (`width × height`), one read may return; larger reads reject with
   * `ERR_IMAGE_TOO_LARGE` before decoding anything. This bounds the memory of a read (4 bytes
   * per pixel at most). For the utif2 reader it bounds the pixels decoded, which are whole tiles
   * or strips covering the region. An integer from 1 to 2^31.
   *
   * @defaultValue `67_108_864` (8192 × 8192: 192 MiB of RGB)
   */
  readonly maxRegionPixels?: number;
}
