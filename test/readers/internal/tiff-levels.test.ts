import { describe, expect, it } from 'vitest';
import { ImageError } from '../../../src/errors.js';
import type { TiffDirectory, TiffIfd } from '../../../src/readers/internal/tiff-directory.js';
import { checkLevel, pyramidDirectories } from '../../../src/readers/internal/tiff-levels.js';

function ifd(
  page: number,
  width: number,
  height: number,
  tiled: boolean,
  extra: Partial<TiffIfd> = {},
): TiffIfd {
  return {
    offset: 8,
    page,
    subIfd: undefined,
    width,
    height,
    bitsPerSample: [8, 8, 8],
    compression: 7,
    photometric: 6,
    fillOrder: 1,
    samplesPerPixel: 3,
    rowsPerStrip: tiled ? undefined : 16,
    tiled,
    planarConfig: 1,
    predictor: 1,
    tileWidth: tiled ? 256 : undefined,
    tileHeight: tiled ? 256 : undefined,
    chunkOffsets: [],
    chunkByteCounts: [],
    newSubfileType: 0,
    extraSamples: [],
    sampleFormat: [],
    jpegTables: undefined,
    colorMap: undefined,
    subIfdOffsets: [],
    ...extra,
  };
}

const dir = (pages: TiffIfd[], subIfds: TiffIfd[] = []): TiffDirectory => ({
  littleEndian: true,
  bigTiff: false,
  pages,
  subIfds,
});

describe('pyramidDirectories', () => {
  it('keeps the levels of an Aperio SVS and leaves out its thumbnail, label and macro', () => {
    const pages = [
      ifd(0, 46000, 32914, true),
      ifd(1, 1024, 732, false), // thumbnail (stripped)
      ifd(2, 11500, 8228, true),
      ifd(3, 2875, 2057, true),
      ifd(4, 387, 463, false, { newSubfileType: 1 }), // label
      ifd(5, 1280, 431, false, { newSubfileType: 9 }), // macro
    ];
    expect(pyramidDirectories(dir(pages)).map((d) => d.page)).toEqual([0, 2, 3]);
  });

  it('uses IFD 0 SubIFDs when present and ignores other pages (OME-TIFF planes)', () => {
    const pages = [ifd(0, 4096, 4096, true), ifd(1, 4096, 4096, true), ifd(2, 2048, 2048, true)];
    const subs = [
      { ...ifd(0, 2048, 2048, true), page: undefined, subIfd: 0 },
      { ...ifd(0, 1024, 1024, true), page: undefined, subIfd: 1 },
    ];
    expect(pyramidDirectories(dir(pages, subs)).map((d) => [d.page, d.subIfd])).toEqual([
      [0, undefined],
      [undefined, 0],
      [undefined, 1],
    ]);
  });

  it('skips pages that are not strictly smaller or differ in aspect or samples', () => {
    const pages = [
      ifd(0, 1000, 800, true),
      ifd(1, 1000, 800, true), // same size: a second plane
      ifd(2, 500, 400, true, { samplesPerPixel: 1, bitsPerSample: [8] }),
      ifd(3, 500, 100, true), // other aspect
      ifd(4, 250, 200, true),
    ];
    expect(pyramidDirectories(dir(pages)).map((d) => d.page)).toEqual([0, 4]);
  });
});

describe('checkLevel', () => {
  const tiles = (n: number, at = 100, size = 10) => ({
    chunkOffsets: Array.from({ length: n }, (_, i) => at + i * size),
    chunkByteCounts: Array.from({ length: n }, () => size),
  });

  it('accepts a consistent directory, including sparse (zero-byte) tiles', () => {
    const t = tiles(4);
    const level = checkLevel(
      ifd(0, 512, 300, true, { ...t, chunkByteCounts: [10, 0, 10, 0] }),
      'x.tif',
      1000,
    );
    expect([level.width, level.height]).toEqual([512, 300]);
  });

  it('rejects a tile table shorter than the tile grid', () => {
    expect(() => checkLevel(ifd(0, 512, 300, true, tiles(3)), 'x.tif', 1000)).toThrow(
      'Corrupt TIFF: directory 0 (512×300) needs 4 tiles but lists 3',
    );
  });

  it('rejects a strip ending past the end of the file as truncated', () => {
    const err = (() => {
      try {
        checkLevel(ifd(0, 64, 32, false, tiles(2, 100, 50)), 'x.tif', 180);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({ code: 'ERR_IMAGE_DECODE', context: { path: 'x.tif' } });
    expect((err as Error).message).toContain(
      'Truncated file: strip 1 of directory 0 ends at byte 200',
    );
  });

  it('rejects zero sizes as empty and impossible pixel counts as too large', () => {
    expect(() => checkLevel(ifd(0, 0, 10, true), 'x.tif', 1000)).toThrow(
      /Empty image: directory 0 is 0×10/,
    );
    const huge = ifd(0, 100_000, 100_000, false, { rowsPerStrip: 100_000, ...tiles(1) });
    expect(() => checkLevel(huge, 'x.tif', 1000)).toThrow(
      expect.objectContaining({ code: 'ERR_IMAGE_TOO_LARGE' }) as Error,
    );
  });
});
