import { getEventListeners } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../src/errors.js';
import { SharpReader } from '../../src/readers/sharp-reader.js';
import { STANDARD_SLIDE, syntheticSlidePath } from '../helpers/synthetic-slides.js';
import {
  crop,
  fcRuns,
  firstDifference,
  fixture,
  referenceDecode,
  regionInside,
  type Raster,
} from './support/images.js';

const opened: SharpReader[] = [];
async function open(path: string, options?: Parameters<typeof SharpReader.open>[1]) {
  const img = await SharpReader.open(path, options);
  opened.push(img);
  return img;
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

describe('SharpReader structure', () => {
  it('reports the pyramid, tiling and coding of a synthetic slide', async () => {
    const img = await open(slide);
    expect(img.reader).toBe('sharp');
    expect(img.format).toBe('tiff');
    expect(img.compression).toBe('jpeg');
    expect(img.channels).toBe(3);
    expect(img.hasAlpha).toBe(false);
    expect([img.width, img.height, img.tileWidth, img.tileHeight]).toEqual([2048, 1536, 256, 256]);
    expect(img.levels).toEqual([
      { width: 2048, height: 1536, downsample: 1 },
      { width: 1024, height: 768, downsample: 2 },
      { width: 512, height: 384, downsample: 4 },
      { width: 256, height: 192, downsample: 8 },
    ]);
    expect(Object.isFrozen(img.levels)).toBe(true);
  });

  it('reads the levels of an OME-style SubIFD pyramid', async () => {
    const img = await open(fixture('ome-subifd.tif'));
    expect(img.levels.map((l) => [l.width, l.height])).toEqual([
      [96, 64],
      [48, 32],
      [24, 16],
    ]);
    expect(img.tileWidth).toBe(16);
    const ref = await referenceDecode(fixture('ome-subifd.tif'), { tiff: { subifd: 1 } });
    const px = await img.readRegion({ level: 2, x: 0, y: 0, width: 24, height: 16 });
    expect(firstDifference(px.data, ref.data)).toBe(-1);
  });

  it('reads single-level PNG and JPEG files as one level', async () => {
    for (const [name, format, compression] of [
      ['image.png', 'png', 'deflate'],
      ['image.jpg', 'jpeg', 'jpeg'],
    ] as const) {
      const img = await open(fixture(name));
      expect([img.format, img.compression, img.tileWidth]).toEqual([
        format,
        compression,
        undefined,
      ]);
      expect(img.levels).toEqual([{ width: 150, height: 110, downsample: 1 }]);
      const ref = await referenceDecode(fixture(name), {});
      const px = await img.readRegion({ level: 0, x: 10, y: 20, width: 100, height: 50 });
      expect(firstDifference(px.data, crop(ref, { x: 10, y: 20, width: 100, height: 50 }))).toBe(
        -1,
      );
    }
  });
});

describe('SharpReader.readRegion exactness', () => {
  it('equals the same crop of a full decode of that level (JPEG-tiled pyramid)', async () => {
    const img = await open(slide);
    const refs: Raster[] = [];
    for (let page = 0; page < img.levels.length; page++) {
      refs.push(await referenceDecode(slide, { page }));
    }
    await fc.assert(
      fc.asyncProperty(regionInside(img.levels, 700), async (region) => {
        const px = await img.readRegion(region);
        expect([px.width, px.height, px.channels]).toEqual([region.width, region.height, 3]);
        expect(firstDifference(px.data, crop(refs[region.level]!, region))).toBe(-1);
      }),
      { numRuns: fcRuns(60) },
    );
  });

  it('equals the same crop of a full decode of that level, with alpha (lossless RGBA tiles)', async () => {
    const path = fixture('rgba-lzw-tiled.tif');
    const img = await open(path);
    expect([img.channels, img.hasAlpha]).toEqual([4, true]);
    const ref = await referenceDecode(path, {}, true);
    const rgb = await referenceDecode(path, {}, false);
    await fc.assert(
      fc.asyncProperty(regionInside(img.levels, 150), fc.boolean(), async (region, alpha) => {
        const px = await img.readRegion(region, { alpha });
        expect(px.channels).toBe(alpha ? 4 : 3);
        expect(firstDifference(px.data, crop(alpha ? ref : rgb, region))).toBe(-1);
      }),
      { numRuns: fcRuns(60) },
    );
  });

  it('gives opaque alpha to an image without alpha and equal channels to a grey image', async () => {
    const img = await open(fixture('grey-packbits.tif'));
    expect(img.channels).toBe(1);
    const px = await img.readRegion(
      { level: 0, x: 0, y: 0, width: 150, height: 110 },
      { alpha: true },
    );
    let grey = true;
    let opaque = true;
    for (let i = 0; i < px.data.length; i += 4) {
      grey &&= px.data[i] === px.data[i + 1] && px.data[i] === px.data[i + 2];
      opaque &&= px.data[i + 3] === 255;
    }
    expect([grey, opaque]).toEqual([true, true]);
  });
});

describe('SharpReader.readRegion bounds and limits', () => {
  it('rejects a region outside the level with ERR_REGION_OUT_OF_BOUNDS naming file and region', async () => {
    const img = await open(slide);
    const region = { level: 1, x: 1000, y: 0, width: 100, height: 100 };
    const err = await rejection(img.readRegion(region));
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({
      code: 'ERR_REGION_OUT_OF_BOUNDS',
      context: { path: slide, region },
    });
    expect((err as Error).message).toContain('Region is not inside level 1 (1024×768)');
  });

  it('rejects a level that does not exist with ERR_REGION_OUT_OF_BOUNDS', async () => {
    const img = await open(slide);
    const err = await rejection(img.readRegion({ level: 4, x: 0, y: 0, width: 1, height: 1 }));
    expect(err).toMatchObject({ code: 'ERR_REGION_OUT_OF_BOUNDS' });
    expect((err as Error).message).toContain('Level 4 does not exist: the image has 4 level(s)');
  });

  it('pads a region partly outside the level with outOfBounds: pad', async () => {
    const img = await open(slide);
    const ref = await referenceDecode(slide, { page: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: -250, max: 250 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 250 }),
        fc.integer({ min: 0, max: 255 }),
        async (x, y, width, height, fill) => {
          const px = await img.readRegion(
            { level: 3, x, y, width, height },
            { outOfBounds: 'pad', fill, alpha: true },
          );
          for (const [cx, cy] of [
            [0, 0],
            [width - 1, height - 1],
            [Math.floor(width / 2), Math.floor(height / 2)],
          ] as const) {
            const lx = x + cx;
            const ly = y + cy;
            const at = (cy * width + cx) * 4;
            const got = Array.from(px.data.subarray(at, at + 4));
            if (lx >= 0 && ly >= 0 && lx < 256 && ly < 192) {
              const r = (ly * 256 + lx) * 3;
              expect(got).toEqual([...ref.data.subarray(r, r + 3), 255]);
            } else {
              expect(got).toEqual([fill, fill, fill, 0]);
            }
          }
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it('rejects a region over maxRegionPixels with ERR_IMAGE_TOO_LARGE before decoding', async () => {
    const img = await open(slide, { maxRegionPixels: 1000 });
    await expect(
      img.readRegion({ level: 0, x: 0, y: 0, width: 40, height: 25 }),
    ).resolves.toMatchObject({
      width: 40,
    });
    const err = await rejection(img.readRegion({ level: 0, x: 0, y: 0, width: 41, height: 25 }));
    expect(err).toMatchObject({ code: 'ERR_IMAGE_TOO_LARGE', context: { path: slide } });
    expect((err as Error).message).toContain(
      'Region of 1025 pixels exceeds maxRegionPixels (1000)',
    );
  });

  it('validates the region and options with the house message shape', async () => {
    const img = await open(slide);
    await expect(img.readRegion({ level: 0, x: 0, y: 0, width: 0, height: 5 })).rejects.toThrow(
      new RangeError(
        'Expected `region.width` to be an integer between 1 and 2147483648, got `0` (number)',
      ),
    );
    await expect(img.readRegion({ level: 0, x: 0.5, y: 0, width: 1, height: 5 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      img.readRegion(
        { level: 0, x: 0, y: 0, width: 1, height: 1 },
        { alpha: 'yes' as unknown as boolean },
      ),
    ).rejects.toThrow(new TypeError('Expected `alpha` to be a boolean, got `"yes"` (string)'));
    await expect(
      img.readRegion(
        { level: 0, x: 0, y: 0, width: 1, height: 1 },
        { outOfBounds: 'clip' as 'pad' },
      ),
    ).rejects.toThrow(
      "Expected `outOfBounds` to be one of 'error', 'pad', got `\"clip\"` (string)",
    );
    await expect(SharpReader.open(slide, { maxRegionPixels: 0 })).rejects.toThrow(
      'Expected `maxRegionPixels` to be an integer between 1 and 2147483648, got `0` (number)',
    );
  });
});

describe('SharpReader cancellation', () => {
  it('rejects with the abort reason when already aborted, at open and at read', async () => {
    const reason = new Error('stop');
    const signal = AbortSignal.abort(reason);
    await expect(SharpReader.open(slide, { signal })).rejects.toBe(reason);
    const img = await open(slide);
    await expect(
      img.readRegion({ level: 0, x: 0, y: 0, width: 10, height: 10 }, { signal }),
    ).rejects.toBe(reason);
  });

  it('rejects with the abort reason when aborted while reading, and removes its listener', async () => {
    const img = await open(slide);
    const controller = new AbortController();
    const read = img.readRegion(
      { level: 0, x: 0, y: 0, width: 2048, height: 1536 },
      { signal: controller.signal },
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('enough');
    await expect(read).rejects.toBe('enough');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('puts one listener on a signal that many reads in flight share, and none after', async () => {
    const img = await open(slide);
    const controller = new AbortController();
    const reads = Array.from({ length: 12 }, (_, i) =>
      img.readRegion(
        { level: 2, x: i, y: 0, width: 16, height: 16 },
        { signal: controller.signal },
      ),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const pixels = await Promise.all(reads);
    expect(pixels.map((p) => p.data.length)).toEqual(Array.from({ length: 12 }, () => 16 * 16 * 3));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener behind after a read completes', async () => {
    const img = await open(slide);
    const controller = new AbortController();
    await img.readRegion(
      { level: 3, x: 0, y: 0, width: 8, height: 8 },
      { signal: controller.signal },
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('SharpReader pixels and lifecycle', () => {
  it('returns pixels in a standalone buffer that transfers without a copy', async () => {
    const img = await open(slide);
    const px = await img.readRegion({ level: 0, x: 100, y: 200, width: 224, height: 224 });
    expect(Object.getPrototypeOf(px.data)).toBe(Uint8Array.prototype);
    expect(px.data.byteOffset).toBe(0);
    expect(px.data.buffer.byteLength).toBe(224 * 224 * 3);
    const copy = px.data.slice();
    const { port1, port2 } = new MessageChannel();
    try {
      const received = new Promise<Uint8Array>((resolve) => {
        port2.once('message', (m: Uint8Array) => resolve(m));
      });
      port1.postMessage(px.data, [px.data.buffer as ArrayBuffer]);
      expect(px.data.byteLength).toBe(0); // detached: moved, not copied
      expect(firstDifference(await received, copy)).toBe(-1);
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('returns the same pixels in shared memory of exactly their size with shared: true', async () => {
    const img = await open(slide);
    const region = { level: 0, x: 300, y: 40, width: 256, height: 200 };
    const plain = await img.readRegion(region);
    const shared = await img.readRegion(region, { shared: true });
    expect(shared.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.data.byteOffset).toBe(0);
    expect(shared.data.buffer.byteLength).toBe(256 * 200 * 3);
    expect(firstDifference(shared.data, plain.data)).toBe(-1);
    const padded = await img.readRegion(
      { level: 0, x: -10, y: -10, width: 64, height: 64 },
      { shared: true, outOfBounds: 'pad' },
    );
    expect(padded.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(padded.data[0]).toBe(255);
  });

  it('writes into the array given as into (shared or not), inside and padded', async () => {
    const img = await open(slide);
    const region = { level: 0, x: 300, y: 40, width: 256, height: 200 };
    const plain = await img.readRegion(region);
    for (const into of [
      new Uint8Array(new SharedArrayBuffer(256 * 200 * 3)).fill(1),
      new Uint8Array(256 * 200 * 3).fill(1),
    ]) {
      const px = await img.readRegion(region, { into, shared: false });
      expect(px.data).toBe(into);
      expect(firstDifference(into, plain.data)).toBe(-1);
    }
    const padRegion = { level: 0, x: -10, y: -10, width: 64, height: 64 };
    const padPlain = await img.readRegion(padRegion, { outOfBounds: 'pad', alpha: true });
    const into = new Uint8Array(64 * 64 * 4);
    const padded = await img.readRegion(padRegion, { outOfBounds: 'pad', alpha: true, into });
    expect(padded.data).toBe(into);
    expect(firstDifference(into, padPlain.data)).toBe(-1);
  });

  it('refuses an into array of the wrong size or type, naming the size needed', async () => {
    const img = await open(slide);
    const region = { level: 0, x: 0, y: 0, width: 8, height: 8 };
    await expect(img.readRegion(region, { into: new Uint8Array(8 * 8 * 4) })).rejects.toThrow(
      'options.into holds 256 bytes; a 8×8 region with 3 channels needs 192',
    );
    await expect(img.readRegion(region, { into: [1, 2] as never })).rejects.toThrow(
      'Expected `into` to be a Uint8Array',
    );
  });

  it('rejects a shared option that is not a boolean', async () => {
    const img = await open(slide);
    await expect(
      img.readRegion({ level: 0, x: 0, y: 0, width: 8, height: 8 }, { shared: 1 as never }),
    ).rejects.toThrow('Expected `shared` to be a boolean, got `1` (number)');
  });

  it('frees native memory after each read (no growth over many full-level reads)', async () => {
    const img = await open(slide);
    const read = () => img.readRegion({ level: 0, x: 0, y: 0, width: 2048, height: 1536 });
    for (let i = 0; i < 5; i++) await read(); // warm-up: libvips caches and pools
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 60; i++) await read(); // 9 MiB each: 540 MiB if outputs leaked
    const grownMiB = (process.memoryUsage().rss - before) / 2 ** 20;
    expect(grownMiB).toBeLessThan(250);
  });

  it('waits for reads in flight on close, then rejects new reads with a TypeError', async () => {
    const img = await SharpReader.open(slide);
    const read = img.readRegion({ level: 0, x: 0, y: 0, width: 1024, height: 1024 });
    await img.close();
    await expect(read).resolves.toMatchObject({ width: 1024, height: 1024 });
    expect(img.closed).toBe(true);
    await expect(img.readRegion({ level: 0, x: 0, y: 0, width: 1, height: 1 })).rejects.toThrow(
      `Cannot read a region of a closed image: ${slide}`,
    );
    await img.close();
  });
});
