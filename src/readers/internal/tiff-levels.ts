/**
 * Which directories of a TIFF form its resolution pyramid, and whether each is plausible:
 * non-zero size, the tile/strip tables it needs, every chunk inside the file, and no more
 * pixels than its bytes could hold.
 *
 * @internal
 */
import { ImageError } from '../../errors.js';
import { checkPlausibleSize } from './plausible-size.js';
import type { TiffDirectory, TiffIfd } from './tiff-directory.js';

/** A directory whose size and chunk tables have been checked. */
export interface TiffLevel {
  readonly ifd: TiffIfd;
  readonly width: number;
  readonly height: number;
}

/**
 * IFD 0 plus the directories that are reduced-resolution copies of it: IFD 0's SubIFDs if it
 * has any (OME-TIFF), else later pages with the same tiling and samples per pixel, strictly
 * smaller than the previous level and with the same aspect ratio (which leaves out an Aperio
 * thumbnail, label and macro image).
 */
export function pyramidDirectories(dir: TiffDirectory): TiffIfd[] {
  const base = dir.pages[0];
  if (base === undefined || base.width === undefined || base.height === undefined) {
    return base === undefined ? [] : [base];
  }
  const candidates = (dir.subIfds.length > 0 ? dir.subIfds : dir.pages.slice(1))
    .filter((c) => c.width !== undefined && c.height !== undefined && c.width > 0 && c.height > 0)
    .sort((a, b) => b.width! - a.width!);
  const levels = [base];
  let prev = base;
  for (const c of candidates) {
    if (c.tiled !== base.tiled || c.samplesPerPixel !== base.samplesPerPixel) continue;
    if (!(c.width! < prev.width! && c.height! < prev.height!)) continue;
    const dx = base.width / c.width!;
    const dy = base.height / c.height!;
    const tolerance = 0.1 + 2 / Math.min(c.width!, c.height!);
    if (Math.abs(dx - dy) / Math.min(dx, dy) > tolerance) continue;
    levels.push(c);
    prev = c;
  }
  return levels;
}

function describe(ifd: TiffIfd): string {
  return ifd.page !== undefined ? `directory ${ifd.page}` : `SubIFD ${ifd.subIfd ?? 0}`;
}

/** Checks one directory against the file; rejects with the matching {@link ImageError}. */
export function checkLevel(ifd: TiffIfd, path: string, fileSize: number): TiffLevel {
  const where = describe(ifd);
  const fail = (code: 'ERR_IMAGE_DECODE' | 'ERR_EMPTY_IMAGE', message: string): ImageError =>
    new ImageError(code, message, { path });
  const { width, height } = ifd;
  if (width === undefined || height === undefined) {
    throw fail('ERR_IMAGE_DECODE', `Corrupt TIFF: ${where} has no ImageWidth/ImageLength`);
  }
  if (width === 0 || height === 0) {
    throw fail('ERR_EMPTY_IMAGE', `Empty image: ${where} is ${width}×${height} pixels`);
  }
  let chunks: number;
  let unit: string;
  if (ifd.tiled) {
    const tw = ifd.tileWidth ?? 0;
    const th = ifd.tileHeight ?? 0;
    if (tw === 0 || th === 0) {
      throw fail('ERR_IMAGE_DECODE', `Corrupt TIFF: ${where} has tile size ${tw}×${th}`);
    }
    chunks = Math.ceil(width / tw) * Math.ceil(height / th);
    unit = 'tile';
  } else {
    const rps = Math.min(ifd.rowsPerStrip ?? height, height);
    if (rps === 0) throw fail('ERR_IMAGE_DECODE', `Corrupt TIFF: ${where} has RowsPerStrip 0`);
    chunks = Math.ceil(height / rps);
    unit = 'strip';
  }
  if (ifd.planarConfig === 2) chunks *= ifd.samplesPerPixel;
  const have = Math.min(ifd.chunkOffsets.length, ifd.chunkByteCounts.length);
  if (have < chunks) {
    throw fail(
      'ERR_IMAGE_DECODE',
      `Corrupt TIFF: ${where} (${width}×${height}) needs ${chunks} ${unit}s but lists ${have}`,
    );
  }
  let stored = 0;
  for (let i = 0; i < chunks; i++) {
    const count = ifd.chunkByteCounts[i]!;
    if (count === 0) continue; // a sparse (absent) chunk
    const end = ifd.chunkOffsets[i]! + count;
    if (end > fileSize) {
      throw fail(
        'ERR_IMAGE_DECODE',
        `Truncated file: ${unit} ${i} of ${where} ends at byte ${end}, past the end of the file (${fileSize} bytes)`,
      );
    }
    stored += count;
  }
  const bitsPerPixel = (ifd.bitsPerSample[0] ?? 1) * ifd.samplesPerPixel;
  checkPlausibleSize({ width, height, bitsPerPixel, storedBytes: stored, path, where });
  return { ifd, width, height };
}
