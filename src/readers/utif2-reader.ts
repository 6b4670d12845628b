import { ImageError, type RegionRef } from '../errors.js';
import type { ImageCompression, ImageLevel, ImageReader } from './image-reader.js';
import { compressionName } from './internal/compression.js';
import { FileSource } from './internal/file-source.js';
import { probeImage } from './internal/image-probe.js';
import { assertPath, fillReaderOptions } from './internal/options.js';
import { RegionReads, type DecodeRequest } from './internal/region-reads.js';
import type { TiffLevel } from './internal/tiff-levels.js';
import {
  chunkLayout,
  decodeChunk,
  rowBytes,
  toRgb,
  type ChunkLayout,
} from './internal/utif2-codec.js';
import type { ReadRegionOptions } from './read-region-options.js';
import type { ReaderOptions } from './reader-options.js';
import type { RegionPixels } from './region-pixels.js';

interface Level {
  readonly tiff: TiffLevel;
  readonly layout: ChunkLayout;
}

/**
 * A pure-JS reader of classic (32-bit) TIFF files on utif2, for small or odd TIFFs and for
 * installs without sharp: tiled or striped, pyramid levels as pages or SubIFDs, uncompressed,
 * LZW, deflate (with or without horizontal predictor), PackBits or JPEG; grey, RGB(A) or
 * palette, 1 to 16 bits per sample.
 *
 * @remarks
 * A region read decodes only the tiles (or strips) the region covers, but always whole ones:
 * its cost is the pixels of those chunks, and {@link ReaderOptions.maxRegionPixels} bounds those
 * rather than the region (a strip TIFF stored as one strip decodes whole on every read).
 * Decoding is synchronous JavaScript on the calling thread (run it in a worker), about an order
 * of magnitude slower than sharp for JPEG tiles. 16-bit samples are reduced to their high byte;
 * alpha is taken as unassociated.
 *
 * The compression tag of every level is checked at open: Zstandard, WebP, JPEG 2000 and any
 * other code utif2 cannot decode (it would silently decode them to black) fail with
 * `ERR_UNSUPPORTED_COMPRESSION`, and BigTIFF, which utif2 does not read, with
 * `ERR_UNSUPPORTED_FORMAT`; so do non-TIFF files.
 *
 * @example
 * ```ts
 * import { Utif2Reader } from 'lightdl/readers/utif';
 *
 * const img = await Utif2Reader.open('small.tif');
 * const px = await img.readRegion({ level: 0, x: 0, y: 0, width: 64, height: 64 });
 * await img.close();
 * ```
 */
export class Utif2Reader implements ImageReader {
  /** The file's path, as given to open it. */
  readonly path: string;
  /** Always `'utif2'`. */
  readonly reader = 'utif2' as const;
  /** Always `'tiff'`. */
  readonly format = 'tiff' as const;
  /** How level 0's pixels are compressed. */
  readonly compression: ImageCompression;
  /** Samples per pixel stored in the file. */
  readonly channels: number;
  /** Whether the file stores an alpha channel. */
  readonly hasAlpha: boolean;
  /** Width of level 0 in pixels. */
  readonly width: number;
  /** Height of level 0 in pixels. */
  readonly height: number;
  /** Tile width of level 0, or `undefined` if striped. */
  readonly tileWidth: number | undefined;
  /** Tile height of level 0, or `undefined` if striped. */
  readonly tileHeight: number | undefined;
  /** Resolution levels, full resolution first. */
  readonly levels: readonly ImageLevel[];
  readonly #levels: readonly Level[];
  readonly #source: FileSource;
  readonly #maxDecodePixels: number;
  readonly #reads: RegionReads;

  private constructor(
    path: string,
    source: FileSource,
    levels: readonly Level[],
    maxRegionPixels: number,
  ) {
    const base = levels[0]!;
    this.path = path;
    this.#source = source;
    this.#levels = levels;
    this.#maxDecodePixels = maxRegionPixels;
    this.compression = compressionName(base.tiff.ifd.compression);
    this.channels = base.tiff.ifd.samplesPerPixel;
    this.hasAlpha = base.layout.alpha;
    this.width = base.tiff.width;
    this.height = base.tiff.height;
    this.tileWidth = base.tiff.ifd.tileWidth;
    this.tileHeight = base.tiff.ifd.tileHeight;
    this.levels = Object.freeze(
      levels.map(({ tiff }) =>
        Object.freeze({
          width: tiff.width,
          height: tiff.height,
          downsample: (this.width / tiff.width + this.height / tiff.height) / 2,
        }),
      ),
    );
    this.#reads = new RegionReads(path, this.levels, maxRegionPixels);
  }

  /**
   * Opens a classic TIFF with utif2.
   *
   * @param path - The TIFF file.
   * @param options - Decode size limit, signal.
   * @returns The opened image (it keeps the file open until {@link Utif2Reader.close}).
   * @throws {@link ImageError} `ERR_FILE_NOT_FOUND`, `ERR_NOT_AN_IMAGE`, `ERR_IMAGE_DECODE`,
   * `ERR_UNSUPPORTED_COMPRESSION` (Zstandard, WebP, JPEG 2000, …), `ERR_UNSUPPORTED_FORMAT`
   * (BigTIFF, a non-TIFF file, a pixel layout it cannot convert), `ERR_EMPTY_IMAGE`,
   * `ERR_IMAGE_TOO_LARGE` (a header claiming more pixels than the file could hold); each names
   * the file.
   * @throws TypeError / RangeError for invalid options.
   * @example
   * ```ts
   * import { Utif2Reader } from 'lightdl/readers/utif';
   *
   * const img = await Utif2Reader.open('small.tif', { maxRegionPixels: 2048 * 2048 });
   * await img.close();
   * ```
   */
  static async open(path: string, options?: ReaderOptions): Promise<Utif2Reader> {
    const filled = fillReaderOptions(options);
    assertPath(path);
    const probe = await probeImage(path, filled.signal);
    const tiff = probe.tiff;
    if (tiff === undefined) {
      throw new ImageError(
        'ERR_UNSUPPORTED_FORMAT',
        `Unsupported by the utif2 reader: ${probe.format.toUpperCase()} (it reads TIFF only); use the sharp reader`,
        { path },
      );
    }
    if (tiff.directory.bigTiff) {
      throw new ImageError(
        'ERR_UNSUPPORTED_FORMAT',
        'Unsupported by the utif2 reader: BigTIFF (it reads classic 32-bit TIFF only); use the sharp reader',
        { path },
      );
    }
    const levels = tiff.levels.map((l) => ({
      tiff: l,
      layout: chunkLayout(l.ifd, tiff.directory.littleEndian, path),
    }));
    filled.signal?.throwIfAborted();
    const source = await FileSource.open(path);
    if (filled.signal?.aborted === true) {
      await source.close();
      filled.signal.throwIfAborted();
    }
    return new Utif2Reader(path, source, levels, filled.maxRegionPixels);
  }

  /** Whether {@link Utif2Reader.close} has been called. */
  get closed(): boolean {
    return this.#reads.closed;
  }

  /**
   * Reads a rectangle of one level as 8-bit RGB or RGBA; see {@link ImageReader.readRegion}.
   *
   * @param region - Level and rectangle, in that level's pixel coordinates.
   * @param options - Alpha, out-of-bounds policy, signal.
   * @returns Pixels in a standalone, transferable buffer.
   * @throws {@link ImageError} `ERR_REGION_OUT_OF_BOUNDS`, `ERR_IMAGE_TOO_LARGE` (region, or whole
   * chunks to decode, over `maxRegionPixels`), `ERR_IMAGE_DECODE`, naming the file and region.
   * @throws TypeError / RangeError for a malformed region or options, or a closed image.
   * @example
   * ```ts
   * import type { Utif2Reader } from 'lightdl/readers/utif';
   *
   * declare const img: Utif2Reader;
   * const px = await img.readRegion({ level: 0, x: 0, y: 0, width: 64, height: 64 }, { alpha: true });
   * ```
   */
  readRegion(region: RegionRef, options?: ReadRegionOptions): Promise<RegionPixels> {
    return this.#reads.read(region, options, (request) => this.#decode(request));
  }

  /**
   * Marks the image closed, waits for reads in flight, then closes the file. Idempotent.
   *
   * @returns When the file is closed.
   * @example
   * ```ts
   * import type { Utif2Reader } from 'lightdl/readers/utif';
   *
   * declare const img: Utif2Reader;
   * await img.close();
   * ```
   */
  async close(): Promise<void> {
    await this.#reads.close();
    await this.#source.close();
  }

  async #decode({ level, rect, channels, context, signal }: DecodeRequest): Promise<Uint8Array> {
    const { tiff, layout } = this.#levels[level]!;
    const { ifd } = tiff;
    const tiled = ifd.tiled;
    const cw = tiled ? (ifd.tileWidth ?? 0) : tiff.width;
    const ch = tiled
      ? (ifd.tileHeight ?? 0)
      : Math.min(ifd.rowsPerStrip ?? tiff.height, tiff.height);
    const across = Math.ceil(tiff.width / cw);
    const c0 = Math.floor(rect.x / cw);
    const c1 = Math.floor((rect.x + rect.width - 1) / cw);
    const r0 = Math.floor(rect.y / ch);
    const r1 = Math.floor((rect.y + rect.height - 1) / ch);
    const mosaicWidth = (c1 - c0 + 1) * cw;
    const mosaicHeight = (r1 - r0 + 1) * ch;
    if (mosaicWidth * mosaicHeight > this.#maxDecodePixels) {
      throw new ImageError(
        'ERR_IMAGE_TOO_LARGE',
        `The utif2 reader must decode ${mosaicWidth}×${mosaicHeight} pixels (whole ${tiled ? 'tiles' : 'strips'}) for this region, over maxRegionPixels (${this.#maxDecodePixels})`,
        context,
      );
    }
    const chunkStride = rowBytes(layout, cw);
    const stride = chunkStride * (c1 - c0 + 1);
    const mosaic = new Uint8Array(stride * mosaicHeight);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        signal?.throwIfAborted();
        const index = r * across + c;
        const count = ifd.chunkByteCounts[index]!;
        const bytes =
          count === 0
            ? new Uint8Array(0)
            : await this.#source.read(ifd.chunkOffsets[index]!, count, `chunk ${index}`);
        const decoded = decodeChunk(layout, bytes, cw, ch, context);
        const top = (r - r0) * ch;
        const left = (c - c0) * chunkStride;
        for (let row = 0; row < ch; row++) {
          const src = row * chunkStride;
          mosaic.set(decoded.subarray(src, src + chunkStride), (top + row) * stride + left);
        }
      }
    }
    const inMosaic = {
      x: rect.x - c0 * cw,
      y: rect.y - r0 * ch,
      width: rect.width,
      height: rect.height,
    };
    return toRgb(layout, mosaic, stride, inMosaic, channels);
  }
}
