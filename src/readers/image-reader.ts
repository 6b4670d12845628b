import type { RegionRef } from '../errors.js';
import type { ReadRegionOptions } from './read-region-options.js';
import type { RegionPixels } from './region-pixels.js';

/** The container format of an image file, as identified by its signature (not its name). */
export type ImageFormat = 'tiff' | 'png' | 'jpeg' | 'webp' | 'gif' | 'heif' | 'jp2';

/**
 * How the pixels of an image are compressed. For TIFF this is level 0's `Compression` tag
 * (`'jp2k'` covers the Aperio codes 33003/33005 and 34712; `'other'` any code not listed); for other
 * formats, the format's own coding (`'deflate'` for PNG, `'lzw'` for GIF).
 */
export type ImageCompression =
  | 'none'
  | 'lzw'
  | 'deflate'
  | 'jpeg'
  | 'ojpeg'
  | 'packbits'
  | 'ccitt'
  | 'jp2k'
  | 'zstd'
  | 'webp'
  | 'lerc'
  | 'lzma'
  | 'jxl'
  | 'av1'
  | 'hevc'
  | 'other';

/** Which implementation reads an image. */
export type ReaderName = 'sharp' | 'utif2';

/** One resolution level of an image pyramid. */
export interface ImageLevel {
  /** Width in pixels at this level. */
  readonly width: number;
  /** Height in pixels at this level. */
  readonly height: number;
  /**
   * How many level-0 pixels one pixel of this level spans: the mean of the horizontal and
   * vertical size ratios to level 0 (exactly `1` for level 0).
   */
  readonly downsample: number;
}

/**
 * An opened image: what it is (format, compression, channels, tiling, pyramid levels) and
 * region reads at any level. Obtained from `openImage`, `SharpReader.open` or `Utif2Reader.open`.
 *
 * @remarks
 * An image is meant to be opened once and read many times (one per patient record in a worker,
 * say): opening parses the file's structure once, and each read decodes only what it needs.
 * Reads may run concurrently. Level 0 is full resolution; further levels are the pyramid
 * (TIFF pages or IFD 0's SubIFDs) ordered from largest to smallest. Pages of a TIFF that are not
 * part of the pyramid (an Aperio thumbnail, label or macro image) are not levels.
 *
 * @example
 * ```ts
 * import { openImage } from 'lightdl';
 *
 * const img = await openImage('slide.tif');
 * try {
 *   const top = img.levels.length - 1;
 *   const { width, height } = img.levels[top]!;
 *   const px = await img.readRegion({ level: top, x: 0, y: 0, width, height });
 *   console.log(px.width, px.height, px.channels, px.data.byteLength);
 * } finally {
 *   await img.close();
 * }
 * ```
 */
export interface ImageReader {
  /** The file's path, as given to open it. */
  readonly path: string;
  /** The implementation reading it. */
  readonly reader: ReaderName;
  /** The container format. */
  readonly format: ImageFormat;
  /** How level 0's pixels are compressed. */
  readonly compression: ImageCompression;
  /** Samples per pixel stored in the file (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA or CMYK). */
  readonly channels: number;
  /** Whether the file stores an alpha channel. */
  readonly hasAlpha: boolean;
  /** Width of level 0 in pixels. */
  readonly width: number;
  /** Height of level 0 in pixels. */
  readonly height: number;
  /** Tile width of level 0 in pixels, or `undefined` if the image is not tiled. */
  readonly tileWidth: number | undefined;
  /** Tile height of level 0 in pixels, or `undefined` if the image is not tiled. */
  readonly tileHeight: number | undefined;
  /** Resolution levels, level 0 (full resolution) first; never empty. */
  readonly levels: readonly ImageLevel[];
  /** Whether {@link ImageReader.close} has been called. */
  readonly closed: boolean;

  /**
   * Reads a rectangle of one level as interleaved 8-bit RGB (or RGBA) pixels.
   *
   * @remarks
   * The returned `data` owns a standalone `ArrayBuffer` of exactly its bytes, so it can be
   * transferred to another thread without a copy (`postMessage(px, [px.data.buffer])`).
   * Aborting rejects at once with the signal's reason; a decode already handed to the native
   * thread pool finishes there and its result is dropped.
   *
   * @param region - Level and rectangle, in that level's pixel coordinates.
   * @param options - Alpha, out-of-bounds policy, signal.
   * @returns The pixels, row-major, `width × height × channels` bytes.
   * @throws {@link ImageError} `ERR_REGION_OUT_OF_BOUNDS` (a level that does not exist, or a
   * rectangle outside the level with `outOfBounds: 'error'`), `ERR_IMAGE_TOO_LARGE` (over
   * `maxRegionPixels`), `ERR_IMAGE_DECODE` (corrupt or truncated data), `ERR_UNSUPPORTED_COMPRESSION`;
   * each names the file and the region.
   * @throws TypeError / RangeError for a malformed region or options, or a closed image.
   */
  readRegion(region: RegionRef, options?: ReadRegionOptions): Promise<RegionPixels>;

  /**
   * Releases the image's resources; waits for reads in flight. Idempotent. Reads after
   * `close()` reject with a `TypeError`.
   */
  close(): Promise<void>;
}

/** What `openImage` resolves to: an {@link ImageReader}. */
export type OpenedImage = ImageReader;
