import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSource } from '../../src/readers/internal/file-source.js';
import { readTiffDirectory } from '../../src/readers/internal/tiff-directory.js';
import { makeSyntheticSlide } from '../../src/readers/make-synthetic-slide.js';
import { SharpReader } from '../../src/readers/sharp-reader.js';
import { STANDARD_SLIDE, syntheticSlidePath } from '../helpers/synthetic-slides.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lightdl-slide-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Level-0 compressed bytes (sum of tile byte counts) of a TIFF. */
async function level0Bytes(path: string): Promise<number> {
  const source = await FileSource.open(path);
  try {
    const { pages } = await readTiffDirectory(source, false);
    return pages[0]!.chunkByteCounts.reduce((a, b) => a + b, 0);
  } finally {
    await source.close();
  }
}

describe('makeSyntheticSlide', () => {
  it('writes a pyramidal JPEG TIFF with the requested tiling, levels halving down to one tile', async () => {
    const path = join(dir, 'nested', 'slide.tif');
    const info = await makeSyntheticSlide({
      path,
      width: 1000,
      height: 700,
      tileSize: 128,
      seed: 4,
    });
    expect(info).toMatchObject({ path, width: 1000, height: 700, tileSize: 128 });
    const img = await SharpReader.open(path);
    try {
      expect([img.format, img.compression, img.tileWidth, img.tileHeight]).toEqual([
        'tiff',
        'jpeg',
        128,
        128,
      ]);
      expect(img.levels.map((l) => [l.width, l.height])).toEqual([
        [1000, 700],
        [500, 350],
        [250, 175],
        [125, 87],
      ]);
    } finally {
      await img.close();
    }
    expect(await readdir(join(dir, 'nested'))).toEqual(['slide.tif']);
  });

  it('compresses like tissue (8:1 to 20:1) with about half background and stain-like colours', async () => {
    const { width, height } = STANDARD_SLIDE;
    const path = await syntheticSlidePath(STANDARD_SLIDE);
    const ratio = (width * height * 3) / (await level0Bytes(path));
    expect(ratio).toBeGreaterThanOrEqual(8);
    expect(ratio).toBeLessThanOrEqual(20);
    const { data } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    let background = 0;
    const tissue = [0, 0, 0];
    for (let i = 0; i < data.length; i += 3) {
      if (Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 215) {
        background++;
      } else {
        for (let c = 0; c < 3; c++) tissue[c]! += data[i + c]!;
      }
    }
    const pixels = data.length / 3;
    expect(background / pixels).toBeGreaterThan(0.35);
    expect(background / pixels).toBeLessThan(0.65);
    // H&E: pink to purple, so red and blue above green on average.
    const [r, g, b] = tissue.map((t) => t / (pixels - background));
    expect(r).toBeGreaterThan(g! + 30);
    expect(b).toBeGreaterThan(g! + 20);
  });

  it('is deterministic by seed: the same seed gives the same bytes, another seed other pixels', async () => {
    const a = join(dir, 'a.tif');
    const b = join(dir, 'b.tif');
    const c = join(dir, 'c.tif');
    await makeSyntheticSlide({ path: a, width: 600, height: 500, seed: 7 });
    await makeSyntheticSlide({ path: b, width: 600, height: 500, seed: 7 });
    await makeSyntheticSlide({ path: c, width: 600, height: 500, seed: 8 });
    const [ba, bb] = await Promise.all([a, b].map((p) => readFile(p)));
    expect(ba!.equals(bb!)).toBe(true);
    const [pa, pc] = await Promise.all([a, c].map((p) => sharp(p).raw().toBuffer()));
    expect(pa!.equals(pc!)).toBe(false);
  });

  it('validates its options with the house message shape', async () => {
    const path = join(dir, 'x.tif');
    await expect(
      makeSyntheticSlide({ path, width: 100, height: 100, tileSize: 100 }),
    ).rejects.toThrow(
      new RangeError(
        'Expected `tileSize` to be a multiple of 16 from 16 to 4096, got `100` (number)',
      ),
    );
    await expect(makeSyntheticSlide({ path, width: 0, height: 100 })).rejects.toThrow(
      new RangeError('Expected `width` to be an integer between 1 and 65536, got `0` (number)'),
    );
    await expect(makeSyntheticSlide({ path, width: 10, height: 10, quality: 101 })).rejects.toThrow(
      'Expected `quality` to be an integer between 1 and 100, got `101` (number)',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects with the abort reason and leaves no file behind', async () => {
    const path = join(dir, 'aborted.tif');
    const reason = new Error('stop');
    await expect(
      makeSyntheticSlide({ path, width: 64, height: 64, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    const controller = new AbortController();
    const making = makeSyntheticSlide({
      path,
      width: 3000,
      height: 3000,
      signal: controller.signal,
    });
    await vi.waitFor(
      async () => {
        expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(true);
      },
      { timeout: 20_000, interval: 5 },
    );
    controller.abort(reason);
    await expect(making).rejects.toBe(reason);
    await vi.waitFor(async () => expect(await readdir(dir)).toEqual([]), { timeout: 20_000 });
  });
});
