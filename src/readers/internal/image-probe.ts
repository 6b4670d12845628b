/**
 * Opening checks every reader shares, done in JS before any decoder sees the file: it exists,
 * it carries a known image signature, and (TIFF, PNG) its header is sane: non-zero size, chunk
 * tables inside the file, no impossible pixel counts. For TIFF it also finds the pyramid.
 *
 * @internal
 */
import { ImageError } from '../../errors.js';
import type { ImageFormat } from '../image-reader.js';
import { FileSource } from './file-source.js';
import { checkPlausibleSize } from './plausible-size.js';
import { SNIFF_BYTES, sniffFormat, type Sniffed } from './sniff-format.js';
import { readTiffDirectory, type TiffDirectory } from './tiff-directory.js';
import { checkLevel, pyramidDirectories, type TiffLevel } from './tiff-levels.js';

/** What probing found. */
export interface ImageProbe {
  readonly path: string;
  readonly format: ImageFormat;
  readonly fileSize: number;
  /** TIFF only. */
  readonly tiff: TiffProbe | undefined;
}

/** The TIFF structure: the directory and its checked pyramid levels (level 0 first). */
export interface TiffProbe {
  readonly directory: TiffDirectory;
  readonly levels: readonly TiffLevel[];
}

const SUPPORTED = 'TIFF, BigTIFF, PNG, JPEG, WebP, GIF, HEIF/AVIF';

/** Probes `path`; rejects with the {@link ImageError} that describes what is wrong. */
export async function probeImage(path: string, signal?: AbortSignal): Promise<ImageProbe> {
  signal?.throwIfAborted();
  const source = await FileSource.open(path);
  try {
    const sniffed = await sniffSource(source);
    signal?.throwIfAborted();
    let tiff: TiffProbe | undefined;
    if (sniffed.format === 'tiff') {
      const directory = await readTiffDirectory(source, sniffed.bigTiff);
      const levels = pyramidDirectories(directory).map((ifd) => checkLevel(ifd, path, source.size));
      tiff = { directory, levels };
    } else if (sniffed.format === 'png') {
      await checkPng(source);
    }
    signal?.throwIfAborted();
    return { path, format: sniffed.format, fileSize: source.size, tiff };
  } finally {
    await source.close();
  }
}

/**
 * The format `source`'s signature announces; rejects with `ERR_NOT_AN_IMAGE` for an empty file
 * or an unknown signature.
 */
export async function sniffSource(source: FileSource): Promise<Sniffed> {
  const { path } = source;
  if (source.size === 0) throw new ImageError('ERR_NOT_AN_IMAGE', 'Empty file (0 bytes)', { path });
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size), 'signature');
  const sniffed = sniffFormat(head);
  if (sniffed === undefined) {
    throw new ImageError(
      'ERR_NOT_AN_IMAGE',
      `Not an image: the file does not start with the signature of a supported format (${SUPPORTED})`,
      { path },
    );
  }
  return sniffed;
}

const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

async function checkPng(source: FileSource): Promise<void> {
  const ihdr = await source.read(8, 18, 'PNG IHDR chunk');
  const view = new DataView(ihdr.buffer);
  if (String.fromCharCode(...ihdr.subarray(4, 8)) !== 'IHDR') {
    throw new ImageError('ERR_IMAGE_DECODE', 'Corrupt PNG: the first chunk is not IHDR', {
      path: source.path,
    });
  }
  const width = view.getUint32(8);
  const height = view.getUint32(12);
  if (width === 0 || height === 0) {
    throw new ImageError('ERR_EMPTY_IMAGE', `Empty image: ${width}×${height} pixels`, {
      path: source.path,
    });
  }
  const bitDepth = ihdr[16] ?? 8;
  const channels = PNG_CHANNELS[ihdr[17] ?? 2] ?? 4;
  checkPlausibleSize({
    width,
    height,
    bitsPerPixel: bitDepth * channels,
    storedBytes: source.size,
    path: source.path,
    where: 'the PNG header',
  });
}
