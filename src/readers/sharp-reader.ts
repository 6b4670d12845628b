import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { ImageError, type RegionRef } from '../errors.js';
import type { ImageCompression, ImageFormat, ImageLevel, ImageReader } from './image-reader.js';
import { abortable } from './internal/abortable.js';
import {
  JP2K_ADVICE,
  compressionName,
  describeCompression,
  sharpMayNotDecode,
} from './internal/compression.js';
import { probeImage, type ImageProbe } from './internal/image-probe.js';
import { assertPath, fillReaderOptions } from './internal/options.js';
import { checkPlausibleSize } from './internal/plausible-size.js';
import { RegionReads, type DecodeRequest } from './internal/region-reads.js';
import { fromSharpError } from './internal/sharp-errors.js';
import { ownedCopy } from './internal/standalone.js';
import type { ReadRegionOptions } from './read-region-options.js';
import type { ReaderOptions } from './reader-options.js';
import type { RegionPixels } from './region-pixels.js';

const FORMAT_COMPRESSION: Readonly<Record<Exclude<ImageFormat, 'tiff'>, ImageCompression>> = {
  png: 'deflate',
  jpeg: 'jpeg',
  webp: 'webp',
  gif: 'lzw',
  heif: 'av1',
  jp2: 'jp2k',
};

interface Opened {
  readonly format: ImageFormat;
  readonly compression: ImageCompression;
  readonly channels: number;
  readonly hasAlpha: boolean;
  readonly tileWidth: number | undefined;
  readonly tileHeight: number | undefined;
  readonly levels: readonly ImageLevel[];
  readonly inputs: readonly SharpOptions[];
}

function hasJp2k(): boolean {
  const jp2k = (
    sharp.format as unknown as Record<string, { input?: { file?: boolean } } | undefined>
  ).jp2k;
  return jp2k?.input?.file === true;
}

/** Rejects with `ERR_UNSUPPORTED_COMPRESSION` unless libvips decodes one pixel of the level. */
async function tryDecode(path: string, input: SharpOptions, code: number): Promise<void> {
  try {
    await sharp(path, input).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
  } catch (err) {
    const advice =
      compressionName(code) === 'jp2k'
        ? JP2K_ADVICE
        : 'The libtiff inside prebuilt sharp has no decoder for it.';
    throw new ImageError(
      'ERR_UNSUPPORTED_COMPRESSION',
      `Unsupported compression ${describeCompression(code)}. ${advice}`,
      { path },
      { cause: err },
    );
  }
}

/**
 * The default image reader, on sharp (libvips): tiled pyramidal TIFF and BigTIFF with levels as
 * pages or as IFD 0's SubIFDs (OME-TIFF), plus any single-level image sharp reads (PNG, JPEG,
 * WebP, GIF, AVIF, plain TIFF). A region read of a tiled image decodes only the tiles it covers.
 *
 * @remarks
 * Opening parses the file's structure in JS (every tile table checked against the file size, no
 * pixel decoded) and asks libvips for the header once; each read is then one libvips pipeline,
 * `extract → sRGB → raw`, with `limitInputPixels` off (a small region of a huge slide is fine) and
 * {@link ReaderOptions.maxRegionPixels} guarding the region instead. Colour: grey, 16-bit and
 * CMYK images are converted to 8-bit sRGB; an embedded ICC profile is applied.
 *
 * Decoding runs on libuv's thread pool, shared by every worker thread of the process
 * (`UV_THREADPOOL_SIZE`, 4 by default); reads from several workers therefore overlap up to that
 * pool size. A strip (non-tiled) TIFF, PNG or JPEG is decoded from its top down to the region's
 * bottom on each read: use tiled pyramids for random access.
 *
 * Prebuilt sharp reads no OpenSlide formats and no JPEG 2000, so an Aperio SVS with JPEG 2000
 * tiles (compression 33003/33005) fails at open with `ERR_UNSUPPORTED_COMPRESSION`; so do
 * Zstandard, LERC, LZMA and JPEG XL tiles, whose codecs its libtiff lacks.
 *
 * @example
 * ```ts
 * import { SharpReader } from 'lightdl/readers/sharp';
 *
 * const img = await SharpReader.open('slide.tif');
 * const px = await img.readRegion({ level: 0, x: 1024, y: 2048, width: 512, height: 512 });
 * await img.close();
 * ```
 */
export class SharpReader implements ImageReader {
  /** The file's path, as given to open it. */
  readonly path: string;
  /** Always `'sharp'`. */
  readonly reader = 'sharp' as const;
  /** The container format. */
  readonly format: ImageFormat;
  /** How level 0's pixels are compressed. */
  readonly compression: ImageCompression;
  /** Samples per pixel stored in the file, as libvips sees it. */
  readonly channels: number;
  /** Whether the file stores an alpha channel. */
  readonly hasAlpha: boolean;
  /** Width of level 0 in pixels. */
  readonly width: number;
  /** Height of level 0 in pixels. */
  readonly height: number;
  /** Tile width of level 0, or `undefined` if not tiled. */
  readonly tileWidth: number | undefined;
  /** Tile height of level 0, or `undefined` if not tiled. */
  readonly tileHeight: number | undefined;
  /** Resolution levels, full resolution first. */
  readonly levels: readonly ImageLevel[];
  readonly #inputs: readonly SharpOptions[];
  readonly #reads: RegionReads;

  private constructor(path: string, opened: Opened, maxRegionPixels: number) {
    this.path = path;
    this.format = opened.format;
    this.compression = opened.compression;
    this.channels = opened.channels;
    this.hasAlpha = opened.hasAlpha;
    this.tileWidth = opened.tileWidth;
    this.tileHeight = opened.tileHeight;
    this.levels = opened.levels;
    this.width = opened.levels[0]!.width;
    this.height = opened.levels[0]!.height;
    this.#inputs = opened.inputs;
    this.#reads = new RegionReads(path, opened.levels, maxRegionPixels);
  }

  /**
   * Opens an image with sharp.
   *
   * @param path - The image file.
   * @param options - Region size limit, signal.
   * @returns The opened image.
   * @throws {@link ImageError} `ERR_FILE_NOT_FOUND`, `ERR_NOT_AN_IMAGE`, `ERR_IMAGE_DECODE`
   * (corrupt or truncated structure), `ERR_UNSUPPORTED_COMPRESSION` (JPEG 2000, Zstandard, …),
   * `ERR_UNSUPPORTED_FORMAT` (a JPEG 2000 file), `ERR_EMPTY_IMAGE`, `ERR_IMAGE_TOO_LARGE` (a header
   * claiming more pixels than the file could hold); each names the file.
   * @throws TypeError / RangeError for invalid options.
   * @example
   * ```ts
   * import { SharpReader } from 'lightdl/readers/sharp';
   *
   * const img = await SharpReader.open('slide.tif', { maxRegionPixels: 4096 * 4096 });
   * console.log(img.levels.map((l) => `${l.width}×${l.height}`));
   * await img.close();
   * ```
   */
  static async open(path: string, options?: ReaderOptions): Promise<SharpReader> {
    const filled = fillReaderOptions(options);
    assertPath(path);
    filled.signal?.throwIfAborted();
    const probe = await probeImage(path, filled.signal);
    const opened = await abortable(openProbed(probe), filled.signal);
    return new SharpReader(path, opened, filled.maxRegionPixels);
  }

  /** Whether {@link SharpReader.close} has been called. */
  get closed(): boolean {
    return this.#reads.closed;
  }

  /**
   * Reads a rectangle of one level as 8-bit RGB or RGBA; see {@link ImageReader.readRegion}.
   *
   * @param region - Level and rectangle, in that level's pixel coordinates.
   * @param options - Alpha, out-of-bounds policy, signal.
   * @returns Pixels in a standalone, transferable buffer.
   * @throws {@link ImageError} `ERR_REGION_OUT_OF_BOUNDS`, `ERR_IMAGE_TOO_LARGE`, `ERR_IMAGE_DECODE`,
   * `ERR_UNSUPPORTED_COMPRESSION`, naming the file and region.
   * @throws TypeError / RangeError for a malformed region or options, or a closed image.
   * @example
   * ```ts
   * import type { SharpReader } from 'lightdl/readers/sharp';
   *
   * declare const img: SharpReader;
   * const px = await img.readRegion({ level: 1, x: 0, y: 0, width: 256, height: 256 }, { alpha: true });
   * ```
   */
  readRegion(region: RegionRef, options?: ReadRegionOptions): Promise<RegionPixels> {
    return this.#reads.read(region, options, (request) => this.#decode(request));
  }

  /**
   * Marks the image closed and waits for reads in flight. Idempotent.
   *
   * @returns When every read in flight has settled.
   * @example
   * ```ts
   * import type { SharpReader } from 'lightdl/readers/sharp';
   *
   * declare const img: SharpReader;
   * await img.close();
   * ```
   */
  async close(): Promise<void> {
    await this.#reads.close();
  }

  async #decode({
    level,
    rect,
    channels,
    context,
    shared,
    into,
  }: DecodeRequest): Promise<Uint8Array> {
    let pipeline = sharp(this.path, this.#inputs[level]).extract({
      left: rect.x,
      top: rect.y,
      width: rect.width,
      height: rect.height,
    });
    pipeline = channels === 4 ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    // Not `toUint8Array()`: in sharp 0.35.5 it copies libvips' output into a new ArrayBuffer and
    // never frees the original (12 MiB leaked per 2048² RGB read). `toBuffer()` frees its buffer
    // with the Buffer, but that memory is external, which Node copies instead of moving on
    // transfer; one copy here into an ArrayBuffer of our own keeps transfers moves.
    let out: { data: Buffer; info: { width: number; height: number; channels: number } };
    try {
      out = await pipeline.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    } catch (err) {
      throw fromSharpError(err, context);
    }
    const { data, info } = out;
    if (info.width !== rect.width || info.height !== rect.height || info.channels !== channels) {
      throw new ImageError(
        'ERR_IMAGE_DECODE',
        `Decoder returned ${info.width}×${info.height}×${info.channels} instead of ${rect.width}×${rect.height}×${channels}`,
        context,
      );
    }
    if (into === undefined) return ownedCopy(data, shared);
    into.set(data);
    return into;
  }
}

async function openProbed(probe: ImageProbe): Promise<Opened> {
  const { path } = probe;
  if (probe.format === 'jp2' && !hasJp2k()) {
    throw new ImageError(
      'ERR_UNSUPPORTED_FORMAT',
      'JPEG 2000 files cannot be read: prebuilt sharp has no JPEG 2000 support (libvips without OpenJPEG)',
      { path },
    );
  }
  const base: SharpOptions = { limitInputPixels: false };
  let meta: Metadata;
  try {
    meta = await sharp(path, base).metadata();
  } catch (err) {
    throw fromSharpError(err, { path });
  }
  const tiff = probe.tiff;
  if (tiff === undefined) {
    const { width, height } = meta;
    if (!(width > 0 && height > 0)) {
      throw new ImageError('ERR_EMPTY_IMAGE', `Empty image: ${width}×${height} pixels`, { path });
    }
    checkPlausibleSize({
      width,
      height,
      bitsPerPixel: meta.channels * 8,
      storedBytes: probe.fileSize,
      path,
      where: `the ${probe.format.toUpperCase()} header`,
    });
    const compression =
      probe.format === 'heif' && meta.compression === 'hevc'
        ? 'hevc'
        : FORMAT_COMPRESSION[probe.format as Exclude<ImageFormat, 'tiff'>];
    return {
      format: probe.format,
      compression,
      channels: meta.channels,
      hasAlpha: meta.hasAlpha,
      tileWidth: undefined,
      tileHeight: undefined,
      levels: Object.freeze([Object.freeze({ width, height, downsample: 1 })]),
      inputs: [base],
    };
  }
  const base0 = tiff.levels[0]!;
  const levels = Object.freeze(
    tiff.levels.map((l) =>
      Object.freeze({
        width: l.width,
        height: l.height,
        downsample: (base0.width / l.width + base0.height / l.height) / 2,
      }),
    ),
  );
  const inputs = tiff.levels.map((l): SharpOptions =>
    l.ifd.page !== undefined
      ? { ...base, page: l.ifd.page }
      : { ...base, tiff: { subifd: l.ifd.subIfd ?? 0 } },
  );
  const tried = new Set<number>();
  for (const [i, level] of tiff.levels.entries()) {
    const code = level.ifd.compression;
    if (!sharpMayNotDecode(code) || tried.has(code)) continue;
    tried.add(code);
    await tryDecode(path, inputs[i]!, code);
  }
  return {
    format: 'tiff',
    compression: compressionName(base0.ifd.compression),
    channels: meta.channels,
    hasAlpha: meta.hasAlpha,
    tileWidth: base0.ifd.tileWidth,
    tileHeight: base0.ifd.tileHeight,
    levels,
    inputs,
  };
}
