/**
 * TIFF compression codes: names, and the codes each reader cannot decode.
 *
 * @internal
 */
import type { ImageCompression } from '../image-reader.js';

const NAMES: ReadonlyMap<number, ImageCompression> = new Map<number, ImageCompression>([
  [1, 'none'],
  [2, 'ccitt'],
  [3, 'ccitt'],
  [4, 'ccitt'],
  [5, 'lzw'],
  [6, 'ojpeg'],
  [7, 'jpeg'],
  [8, 'deflate'],
  [32946, 'deflate'],
  [32773, 'packbits'],
  [33003, 'jp2k'],
  [33004, 'jp2k'],
  [33005, 'jp2k'],
  [34712, 'jp2k'],
  [34887, 'lerc'],
  [34925, 'lzma'],
  [50000, 'zstd'],
  [50001, 'webp'],
  [50002, 'jxl'],
  [52546, 'jxl'],
]);

/** The name of a TIFF `Compression` code (`'other'` for codes not listed). */
export function compressionName(code: number): ImageCompression {
  return NAMES.get(code) ?? 'other';
}

/** A human description of a code, for error messages: `JPEG 2000 (33003)`. */
export function describeCompression(code: number): string {
  const labels: Partial<Record<ImageCompression, string>> = {
    jp2k: 'JPEG 2000',
    zstd: 'Zstandard',
    webp: 'WebP',
    lerc: 'LERC',
    lzma: 'LZMA',
    jxl: 'JPEG XL',
    ojpeg: 'old-style JPEG',
    ccitt: 'CCITT',
  };
  const name = compressionName(code);
  return `${labels[name] ?? name} (compression ${code})`;
}

/**
 * Codes that prebuilt sharp cannot decode (measured with sharp 0.35 / libvips 8.18): JPEG 2000
 * (libvips without OpenJPEG), Zstandard, LERC, LZMA and old-style JPEG (codecs not configured
 * in its libtiff) and JPEG XL (not implemented). A libvips built otherwise may decode some, so
 * the sharp reader tries one pixel of such a level at open rather than refusing outright.
 */
export function sharpMayNotDecode(code: number): boolean {
  const name = compressionName(code);
  return ['jp2k', 'zstd', 'lerc', 'lzma', 'jxl', 'ojpeg'].includes(name);
}

/** Codes the utif2 reader decodes (and tests): none, LZW, deflate, JPEG, PackBits. */
export const UTIF2_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 7, 8, 32946, 32773]);

/** An explanation to append when a JPEG 2000 slide cannot be read. */
export const JP2K_ADVICE =
  'Aperio SVS slides often use JPEG 2000; prebuilt sharp (libvips without OpenJPEG) and utif2 cannot decode it. Convert the slide to JPEG tiles (e.g. `vips tiffsave slide.svs out.tif --tile --pyramid --compression jpeg` with a libvips built with OpenJPEG or OpenSlide) or read it with OpenSlide.';
