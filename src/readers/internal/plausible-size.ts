/**
 * The "header claims more pixels than the file could hold" check.
 *
 * @internal
 */
import { ImageError } from '../../errors.js';

/**
 * The largest decoded-to-stored ratio an image may claim. Deflate tops out near 1,032:1 and
 * JPEG of a flat colour near 600:1; a header claiming far more pixels than its bytes could hold
 * (a 100k × 100k image in a few hundred bytes) is rejected before any decoder allocates for it.
 */
export const MAX_PLAUSIBLE_RATIO = 10_000;
/** Images decoding to less than this many bytes are never rejected as implausible. */
const CHECK_FLOOR_BYTES = 64 * 2 ** 20;

/** What {@link checkPlausibleSize} compares. */
export interface ClaimedSize {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  /** Bytes of (compressed) pixel data actually present. */
  readonly storedBytes: number;
  readonly path: string;
  /** Which image of the file, for the message (`directory 0`). */
  readonly where: string;
}

/** Rejects with `ERR_IMAGE_TOO_LARGE` if the claimed size is impossible for the stored bytes. */
export function checkPlausibleSize(claim: ClaimedSize): void {
  const decoded = (claim.width * claim.height * claim.bitsPerPixel) / 8;
  if (decoded > CHECK_FLOOR_BYTES && decoded > claim.storedBytes * MAX_PLAUSIBLE_RATIO) {
    throw new ImageError(
      'ERR_IMAGE_TOO_LARGE',
      `Implausible header: ${claim.where} claims ${claim.width}×${claim.height} pixels (${decoded} bytes decoded) from ${claim.storedBytes} bytes of pixel data, a ratio over ${MAX_PLAUSIBLE_RATIO.toLocaleString('en-US')}:1`,
      { path: claim.path },
    );
  }
}
