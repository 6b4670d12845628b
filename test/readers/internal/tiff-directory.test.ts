import { describe, expect, it } from 'vitest';
import { FileSource } from '../../../src/readers/internal/file-source.js';
import { readTiffDirectory } from '../../../src/readers/internal/tiff-directory.js';
import { fixture } from '../support/images.js';

async function directoryOf(name: string, bigTiff: boolean) {
  const source = await FileSource.open(fixture(name));
  try {
    return await readTiffDirectory(source, bigTiff);
  } finally {
    await source.close();
  }
}

describe('readTiffDirectory', () => {
  it('reads a BigTIFF directory (64-bit offsets)', async () => {
    const d = await directoryOf('bigtiff.tif', true);
    expect(d.bigTiff).toBe(true);
    const p = d.pages[0]!;
    expect([
      p.width,
      p.height,
      p.tileWidth,
      p.tileHeight,
      p.compression,
      p.samplesPerPixel,
    ]).toEqual([150, 110, 64, 64, 8, 3]);
    expect(p.chunkOffsets).toHaveLength(6);
    expect(p.chunkByteCounts.every((n) => n > 0)).toBe(true);
  });

  it('reads the main chain and IFD 0 SubIFDs of a classic TIFF', async () => {
    const d = await directoryOf('ome-subifd.tif', false);
    expect(d.pages.map((p) => [p.page, p.width, p.height])).toEqual([[0, 96, 64]]);
    expect(d.subIfds.map((p) => [p.subIfd, p.width, p.height])).toEqual([
      [0, 48, 32],
      [1, 24, 16],
    ]);
  });

  it('keeps the JPEG tables and YCbCr photometric of a JPEG-tiled pyramid', async () => {
    const d = await directoryOf('pyramid-jpeg.tif', false);
    expect(d.pages).toHaveLength(4);
    expect(d.pages[0]!.jpegTables?.length).toBeGreaterThan(100);
    expect(d.pages[0]!.photometric).toBe(6);
  });
});
