import { expected } from '../internal/validate.js';

/**
 * Copies a rectangle out of interleaved pixels into a tightly packed `Uint8Array`: a new one with
 * its own `ArrayBuffer` (so it can be transferred between threads without dragging the source
 * along), or `into` when given (from `CollectorContext.allocate`, say).
 *
 * @param source - Pixels, `sourceHeight × sourceWidth × channels`, row-major.
 * @param sourceWidth - Width of the source in pixels.
 * @param channels - Channels per pixel.
 * @param x - Left edge of the rectangle in the source.
 * @param y - Top edge of the rectangle in the source.
 * @param width - Rectangle width.
 * @param height - Rectangle height.
 * @param into - Where to write the pixels; exactly `width × height × channels` bytes long.
 * @returns The rectangle's pixels, `height × width × channels` bytes (`into` when given).
 * @throws RangeError when the rectangle is not inside the source, or `into` has the wrong length.
 * @example
 * ```ts
 * const patch = cropPixels(big.data, big.width, big.channels, 100, 200, 224, 224);
 * // In a collector, into shared memory the main thread reads without a copy:
 * const packed = cropPixels(big.data, big.width, big.channels, 0, 0, 224, 224, ctx.allocate(224 * 224 * big.channels));
 * ```
 */
export function cropPixels(
  source: Uint8Array,
  sourceWidth: number,
  channels: number,
  x: number,
  y: number,
  width: number,
  height: number,
  into?: Uint8Array,
): Uint8Array {
  const sourceHeight = Math.floor(source.length / (sourceWidth * channels));
  if (
    !Number.isInteger(x) ||
    !Number.isInteger(y) ||
    x < 0 ||
    y < 0 ||
    width < 1 ||
    height < 1 ||
    x + width > sourceWidth ||
    y + height > sourceHeight
  ) {
    throw new RangeError(
      expected('rectangle', `inside the ${sourceWidth}×${sourceHeight} source`, {
        x,
        y,
        width,
        height,
      }),
    );
  }
  const bytes = width * height * channels;
  if (into !== undefined && into.length !== bytes) {
    throw new RangeError(
      expected('into.length', `${bytes} (${width}×${height}×${channels})`, into.length),
    );
  }
  const out = into ?? new Uint8Array(bytes);
  const rowBytes = width * channels;
  const stride = sourceWidth * channels;
  let src = y * stride + x * channels;
  for (let row = 0, dst = 0; row < height; row++, src += stride, dst += rowBytes) {
    out.set(source.subarray(src, src + rowBytes), dst);
  }
  return out;
}
