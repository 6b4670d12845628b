import { readdirSync, readlinkSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../src/errors.js';
import { SharpReader } from '../../src/readers/sharp-reader.js';
import { Utif2Reader } from '../../src/readers/utif2-reader.js';
import type { ImageReader } from '../../src/readers/image-reader.js';
import { STANDARD_SLIDE, syntheticSlidePath } from '../helpers/synthetic-slides.js';
import { fcRuns, firstDifference, fixture, regionInside } from './support/images.js';

const opened: ImageReader[] = [];
async function track<T extends ImageReader>(img: Promise<T>): Promise<T> {
  const value = await img;
  opened.push(value);
  return value;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((img) => img.close()));
});

let slide: string;
beforeAll(async () => {
  slide = await syntheticSlidePath(STANDARD_SLIDE);
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

const LOSSLESS = [
  'lzw-tiled.tif',
  'deflate-predictor-tiled.tif',
  'strip-deflate.tif',
  'grey-packbits.tif',
  'grey-4bit.tif',
  'bilevel-miniswhite.tif',
  'rgba-lzw-tiled.tif',
  'ome-subifd.tif',
];

describe('Utif2Reader exactness', () => {
  it.each(LOSSLESS)(
    'agrees exactly with sharp on %s at random regions and levels',
    async (name) => {
      const u = await track(Utif2Reader.open(fixture(name)));
      const s = await track(SharpReader.open(fixture(name)));
      expect(u.levels).toEqual(s.levels);
      expect([u.channels, u.hasAlpha, u.compression, u.tileWidth]).toEqual([
        s.channels,
        s.hasAlpha,
        s.compression,
        s.tileWidth,
      ]);
      await fc.assert(
        fc.asyncProperty(regionInside(u.levels, 150), fc.boolean(), async (region, alpha) => {
          const [a, b] = await Promise.all([
            u.readRegion(region, { alpha }),
            s.readRegion(region, { alpha }),
          ]);
          expect(firstDifference(a.data, b.data)).toBe(-1);
        }),
        { numRuns: fcRuns(40) },
      );
    },
  );

  it('writes into the array given as into', async () => {
    const u = await track(Utif2Reader.open(slide));
    const region = { level: 0, x: 700, y: 500, width: 300, height: 200 };
    const plain = await u.readRegion(region);
    const into = new Uint8Array(new SharedArrayBuffer(300 * 200 * 3));
    const px = await u.readRegion(region, { into });
    expect(px.data).toBe(into);
    expect(into.every((v, i) => v === plain.data[i])).toBe(true);
  });

  it('stays within JPEG decoder rounding of sharp on JPEG tiles', async () => {
    const u = await track(Utif2Reader.open(slide));
    const s = await track(SharpReader.open(slide));
    const region = { level: 0, x: 700, y: 500, width: 300, height: 300 };
    const [a, b] = await Promise.all([u.readRegion(region), s.readRegion(region)]);
    let sum = 0;
    for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
    expect(sum / a.data.length).toBeLessThan(1.5);
  });
});

describe('Utif2Reader refusals', () => {
  it.each([
    ['bigtiff.tif', 'ERR_UNSUPPORTED_FORMAT', 'BigTIFF (it reads classic 32-bit TIFF only)'],
    ['image.png', 'ERR_UNSUPPORTED_FORMAT', 'PNG (it reads TIFF only)'],
    ['webp-tiled.tif', 'ERR_UNSUPPORTED_COMPRESSION', 'WebP (compression 50001)'],
    ['zstd.tif', 'ERR_UNSUPPORTED_COMPRESSION', 'Zstandard (compression 50000)'],
    ['aperio-jp2k.svs', 'ERR_UNSUPPORTED_COMPRESSION', 'JPEG 2000 (compression 33003)'],
  ])('refuses %s at open with %s', async (name, code, text) => {
    const err = await rejection(Utif2Reader.open(fixture(name)));
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({ code, context: { path: fixture(name) } });
    expect((err as Error).message).toContain(text);
  });

  it('bounds the whole strips it must decode by maxRegionPixels', async () => {
    // strip-deflate.tif is 150×110; its strips span the full width.
    const u = await track(
      Utif2Reader.open(fixture('strip-deflate.tif'), { maxRegionPixels: 1000 }),
    );
    const err = await rejection(u.readRegion({ level: 0, x: 0, y: 0, width: 10, height: 10 }));
    expect(err).toMatchObject({ code: 'ERR_IMAGE_TOO_LARGE' });
    expect((err as Error).message).toMatch(/must decode 150×\d+ pixels \(whole strips\)/);
  });
});

describe('Utif2Reader cancellation and resources', () => {
  it('rejects with the abort reason when aborted between tiles, and removes its listener', async () => {
    const u = await track(Utif2Reader.open(slide));
    const controller = new AbortController();
    const read = u.readRegion(
      { level: 0, x: 0, y: 0, width: 1024, height: 1024 },
      { signal: controller.signal },
    );
    controller.abort('enough');
    await expect(read).rejects.toBe('enough');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the abort reason when already aborted', async () => {
    const reason = new Error('stop');
    await expect(Utif2Reader.open(slide, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  it('closes its file handle on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lightdl-utif-'));
    const path = join(dir, 'copy.tif');
    await copyFile(fixture('lzw-tiled.tif'), path);
    const handles = (): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      }).length;
    try {
      const u = await Utif2Reader.open(path);
      await u.readRegion({ level: 0, x: 0, y: 0, width: 10, height: 10 });
      expect(handles()).toBe(1);
      await u.close();
      expect(handles()).toBe(0);
      expect(u.closed).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns standalone, plain Uint8Array pixels', async () => {
    const u = await track(Utif2Reader.open(fixture('lzw-tiled.tif')));
    const px = await u.readRegion({ level: 1, x: 3, y: 4, width: 20, height: 10 });
    expect(Object.getPrototypeOf(px.data)).toBe(Uint8Array.prototype);
    expect([px.data.byteOffset, px.data.buffer.byteLength]).toEqual([0, 20 * 10 * 3]);
  });
});
