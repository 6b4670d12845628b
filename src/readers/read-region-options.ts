/**
 * Options of `ImageReader.readRegion`.
 *
 * @example
 * ```ts
 * import type { ReadRegionOptions } from 'lightdl';
 *
 * const options: ReadRegionOptions = { alpha: true, outOfBounds: 'pad', fill: 255 };
 * ```
 * @example
 * One buffer reused for every read of a loop:
 * ```ts
 * import { openImage } from 'lightdl';
 *
 * const img = await openImage('slide.tif');
 * const into = new Uint8Array(1024 * 1024 * 3);
 * for (const x of [0, 1024, 2048]) {
 *   await img.readRegion({ level: 0, x, y: 0, width: 1024, height: 1024 }, { into });
 *   // … use `into` before the next read overwrites it
 * }
 * await img.close();
 * ```
 */
export interface ReadRegionOptions {
  /** Aborts the read; it rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /**
   * Return RGBA (4 channels) instead of RGB (3). An image without alpha reads as opaque (255);
   * an image with alpha loses it unless this is `true`.
   *
   * @defaultValue `false`
   */
  readonly alpha?: boolean;
  /**
   * What to do with a rectangle that is not entirely inside the level: `'error'` rejects with
   * `ERR_REGION_OUT_OF_BOUNDS`; `'pad'` returns the requested size, the part outside the level
   * filled with `fill` (alpha 0), and decodes only the part inside.
   *
   * @defaultValue `'error'`
   */
  readonly outOfBounds?: 'error' | 'pad';
  /**
   * Colour value (0–255, for R, G and B alike) of padded pixels with `outOfBounds: 'pad'`.
   * The default, white, matches the background of a bright-field slide.
   *
   * @defaultValue `255`
   */
  readonly fill?: number;
  /**
   * Return the pixels in a `SharedArrayBuffer` (of exactly their size) instead of an
   * `ArrayBuffer`: every thread can then read them without a copy or a transfer. The decoder's
   * output is copied once either way.
   *
   * @defaultValue `false`
   */
  readonly shared?: boolean;
  /**
   * Write the pixels into this array (exactly `width × height × channels` bytes, shared or not)
   * instead of a new one; the result's `data` is then `into`. Reusing memory this way saves the
   * allocation and the first-touch page faults of a fresh buffer per read (about 2 ms of a 2048²
   * RGB read on a 2-core test machine). Overrides `shared`. A read that fails or is aborted may
   * have written part of it.
   *
   * @defaultValue a new array
   */
  readonly into?: Uint8Array;
}
