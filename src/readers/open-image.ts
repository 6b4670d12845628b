import { ImageError } from '../errors.js';
import { assertOneOf, expected } from '../internal/validate.js';
import type { OpenedImage, ReaderName } from './image-reader.js';
import { FileSource } from './internal/file-source.js';
import { assertPath, fillReaderOptions } from './internal/options.js';
import { sniffSource } from './internal/image-probe.js';
import type { Sniffed } from './internal/sniff-format.js';
import type { ReaderOptions } from './reader-options.js';
import type * as SharpReaderModule from './sharp-reader.js';

/**
 * Options of {@link openImage}: the reader to use plus {@link ReaderOptions}.
 *
 * @example
 * ```ts
 * import type { OpenImageOptions } from 'lightdl';
 *
 * const options: OpenImageOptions = { reader: 'utif2', maxRegionPixels: 2048 * 2048 };
 * ```
 */
export interface OpenImageOptions extends ReaderOptions {
  /**
   * Which reader to use: `'sharp'` (libvips), `'utif2'` (pure JS, classic TIFF only), or
   * `'auto'`: sharp whenever it can be loaded, else utif2 for a classic TIFF.
   *
   * @defaultValue `'auto'`
   */
  readonly reader?: 'auto' | ReaderName;
}

const OPEN_IMAGE_DEFAULTS: Readonly<{ reader: 'auto' | ReaderName }> = Object.freeze({
  reader: 'auto',
});

type SharpModule = typeof SharpReaderModule;
let sharpModule: Promise<SharpModule | Error> | undefined;

/** The sharp reader module, or the error that kept it (sharp itself) from loading. */
function loadSharp(): Promise<SharpModule | Error> {
  sharpModule ??= import('./sharp-reader.js').catch((err: unknown) =>
    err instanceof Error ? err : new Error(String(err)),
  );
  return sharpModule;
}

async function sniff(path: string): Promise<Sniffed> {
  const source = await FileSource.open(path);
  try {
    return await sniffSource(source);
  } finally {
    await source.close();
  }
}

/**
 * Opens an image file for region reads, picking the reader by option or by content.
 *
 * @remarks
 * The readers are loaded on first use (`await import()`), so importing lightdl loads neither
 * sharp nor utif2. With `reader: 'auto'`, the file's signature is checked first (a missing file
 * or a non-image fails without loading any decoder), then sharp reads it; if sharp cannot be
 * loaded (not installed, no binary for this platform), a classic TIFF is read with utif2 and
 * anything else fails with `ERR_UNSUPPORTED_FORMAT` naming sharp's load error as the cause.
 *
 * Open one image per file and reuse it for many reads; close it when done. The signal covers the
 * open only; pass one to each read.
 *
 * @param path - The image file.
 * @param options - Reader, region size limit, signal.
 * @returns The opened image.
 * @throws {@link ImageError} `ERR_FILE_NOT_FOUND`, `ERR_NOT_AN_IMAGE`, `ERR_IMAGE_DECODE`,
 * `ERR_UNSUPPORTED_COMPRESSION` (e.g. JPEG 2000 Aperio SVS: prebuilt sharp cannot decode it),
 * `ERR_UNSUPPORTED_FORMAT`, `ERR_EMPTY_IMAGE`, `ERR_IMAGE_TOO_LARGE`; each names the file.
 * @throws TypeError / RangeError for invalid options.
 * @example
 * ```ts
 * import { openImage } from 'lightdl';
 *
 * const img = await openImage('slide.tif', { maxRegionPixels: 4096 * 4096 });
 * try {
 *   const px = await img.readRegion({ level: 0, x: 0, y: 0, width: 224, height: 224 });
 *   console.log(img.format, img.compression, img.levels.length, px.data.byteLength);
 * } finally {
 *   await img.close();
 * }
 * ```
 */
export async function openImage(path: string, options?: OpenImageOptions): Promise<OpenedImage> {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(expected('options', 'an object', options));
  }
  const { reader: readerOption, ...rest } = options ?? {};
  const reader = assertOneOf('reader', readerOption ?? OPEN_IMAGE_DEFAULTS.reader, [
    'auto',
    'sharp',
    'utif2',
  ] as const);
  assertPath(path);
  fillReaderOptions(rest); // programmer errors throw before the file is touched
  rest.signal?.throwIfAborted();
  if (reader === 'utif2') {
    const { Utif2Reader } = await import('./utif2-reader.js');
    return Utif2Reader.open(path, rest);
  }
  if (reader === 'sharp') {
    const loaded = await loadSharp();
    if (loaded instanceof Error) {
      throw new ImageError(
        'ERR_UNSUPPORTED_FORMAT',
        'The sharp reader cannot be loaded',
        { path },
        { cause: loaded },
      );
    }
    return loaded.SharpReader.open(path, rest);
  }
  const sniffed = await sniff(path);
  rest.signal?.throwIfAborted();
  const loaded = await loadSharp();
  if (!(loaded instanceof Error)) return loaded.SharpReader.open(path, rest);
  if (sniffed.format === 'tiff' && !sniffed.bigTiff) {
    const { Utif2Reader } = await import('./utif2-reader.js');
    return Utif2Reader.open(path, rest);
  }
  throw new ImageError(
    'ERR_UNSUPPORTED_FORMAT',
    `sharp cannot be loaded, and without it only classic TIFF can be read (this is ${sniffed.bigTiff ? 'BigTIFF' : sniffed.format.toUpperCase()})`,
    { path },
    { cause: loaded },
  );
}
