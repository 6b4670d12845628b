import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { CollectorContext } from '../../src/collectors/collector-context.js';
import { cropPixels } from '../../src/collectors/crop-pixels.js';
import { FINISHED } from '../../src/collectors/finished.js';
import {
  randomPatches,
  randomPatchesCollector,
  type RandomPatchesOptions,
} from '../../src/collectors/random-patches.js';
import type { SmallChunkResult } from '../../src/collectors/small-chunk-collector.js';
import { Rng } from '../../src/internal/rng.js';
import type { BigChunk } from '../../src/loaders/big-chunk.js';

const runs = Number(process.env['FC_NUM_RUNS']) || 100;

function context(
  options: RandomPatchesOptions,
  seed: number,
): CollectorContext<RandomPatchesOptions> {
  const rng = Rng.seeded(seed);
  return {
    options,
    tenure: 1,
    index: 0,
    random: { float: () => rng.float(), int: (min, max) => rng.int(min, max) },
    checkpoint: undefined,
    lastMessage: undefined,
    signal: new AbortController().signal,
    openImage: () => Promise.reject(new Error('not here')),
    setCheckpoint: () => {},
    setStatus: () => {},
    finish: () => {},
    allocate: (n) => new Uint8Array(n),
  };
}

/** A big chunk at (ox, oy) of level 1 whose pixel values encode their position. */
function bigChunk(width: number, height: number, ox: number, oy: number, channels = 3): BigChunk {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
  return {
    data,
    width,
    height,
    channels,
    info: {
      patient: 'p',
      tenure: 1,
      index: 0,
      region: { level: 1, x: ox, y: oy, width, height },
    },
  };
}

type Chunk = Exclude<SmallChunkResult, null | typeof FINISHED>;

async function call(
  n: number,
  big: BigChunk,
  options: RandomPatchesOptions,
  seed: number,
): Promise<SmallChunkResult> {
  return randomPatchesCollector(n, big, context(options, seed));
}

describe('randomPatches', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 48 }),
      fc.integer({ min: 1, max: 48 }),
      fc.nat(100_000),
      fc.nat(100_000),
      fc.integer(),
    ],
    { numRuns: runs },
  )(
    'cuts a patch inside the big chunk and reports its absolute position',
    async (w, h, ox, oy, seed) => {
      const big = bigChunk(48, 40, ox, oy);
      const options = { width: Math.min(w, 48), height: Math.min(h, 40), perBigChunk: 4 };
      const r = (await call(0, big, options, seed)) as Chunk;
      const px = r.info!.x! - ox;
      const py = r.info!.y! - oy;
      expect(px).toBeGreaterThanOrEqual(0);
      expect(py).toBeGreaterThanOrEqual(0);
      expect(px + r.width).toBeLessThanOrEqual(48);
      expect(py + r.height).toBeLessThanOrEqual(40);
      expect([r.width, r.height]).toEqual([options.width, options.height]);
      expect(r.data).toEqual(cropPixels(big.data, 48, 3, px, py, r.width, r.height));
      // Same call, same seed: same patch.
      expect(((await call(0, big, options, seed)) as Chunk).info).toEqual(r.info);
    },
  );

  it('calls finish() on its last patch of a big chunk, and cuts into allocate()d memory', async () => {
    const big = bigChunk(32, 32, 0, 0);
    const options = { width: 8, height: 8, perBigChunk: 3 };
    const finishedAt: number[] = [];
    const allocated: Uint8Array[] = [];
    for (const n of [0, 1, 2]) {
      const ctx = context(options, n);
      const r = (await randomPatchesCollector(n, big, {
        ...ctx,
        finish: () => finishedAt.push(n),
        allocate: (bytes) => {
          const a = new Uint8Array(bytes);
          allocated.push(a);
          return a;
        },
      })) as Chunk;
      expect(r.data).toBe(allocated.at(-1));
    }
    expect(finishedAt).toEqual([2]);
    expect(allocated.map((a) => a.length)).toEqual([192, 192, 192]);
  });

  it('says FINISHED from call perBigChunk on, and cuts before', async () => {
    const big = bigChunk(32, 32, 0, 0);
    const options = { width: 8, height: 8, perBigChunk: 3 };
    for (const n of [0, 1, 2]) expect(await call(n, big, options, n)).not.toBe(FINISHED);
    for (const n of [3, 4, 100]) expect(await call(n, big, options, n)).toBe(FINISHED);
    expect(await call(1_000_000, big, { width: 8, height: 8, perBigChunk: Infinity }, 1)).not.toBe(
      FINISHED,
    );
  });

  it('throws when the patch does not fit in the big chunk, naming the patient', async () => {
    await expect(call(0, bigChunk(16, 16, 0, 0), { width: 32, height: 8 }, 1)).rejects.toThrow(
      'Patch 32×8 does not fit in big chunk 16×16 of patient "p"',
    );
  });

  describe('minForeground', () => {
    /** Left `dark` columns are tissue (value 40), the rest background (250). */
    function halfTissue(dark: number, channels = 3): BigChunk {
      const big = bigChunk(64, 64, 0, 0, channels);
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          for (let c = 0; c < channels; c++)
            big.data[(y * 64 + x) * channels + c] = x < dark ? 40 : 250;
        }
      }
      return big;
    }
    const foreground = (r: Chunk, channels = 3): number => {
      let fg = 0;
      for (let p = 0; p < r.width * r.height; p++) if (r.data[p * channels]! < 220) fg++;
      return fg / (r.width * r.height);
    };

    test.prop([fc.double({ min: 0.05, max: 1, noNaN: true }), fc.integer()], { numRuns: runs })(
      'accepts only patches with at least that fraction of foreground pixels',
      async (minForeground, seed) => {
        const big = halfTissue(36);
        const options = { width: 8, height: 8, minForeground, maxTries: 16 };
        const r = await call(0, big, options, seed);
        if (r !== null) expect(foreground(r as Chunk)).toBeGreaterThanOrEqual(minForeground);
      },
    );

    it('counts every pixel: a patch exactly at the fraction passes, one pixel short fails', async () => {
      // A 5×2 big chunk and a 5×2 patch: one position, 3 of 10 pixels are tissue, in columns a
      // sampling stride would skip.
      const big = bigChunk(5, 2, 0, 0);
      big.data.fill(250);
      for (const p of [1, 2, 3]) big.data.fill(40, p * 3, p * 3 + 3);
      const options = { width: 5, height: 2, maxTries: 1 };
      expect(await call(0, big, { ...options, minForeground: 0.3 }, 1)).not.toBeNull();
      expect(await call(0, big, { ...options, minForeground: 0.31 }, 1)).toBeNull();
    });

    it('skips the call (null) when no try passes, and takes any patch at 0', async () => {
      const blank = halfTissue(0);
      expect(await call(0, blank, { width: 8, height: 8, minForeground: 0.01 }, 1)).toBeNull();
      expect(await call(0, blank, { width: 8, height: 8, minForeground: 0 }, 1)).not.toBeNull();
    });

    it('judges foreground on the colour channels only (alpha ignored)', async () => {
      const big = halfTissue(64, 4);
      for (let i = 3; i < big.data.length; i += 4) big.data[i] = 255;
      const r = await call(0, big, { width: 8, height: 8, minForeground: 1 }, 3);
      expect(r).not.toBeNull();
      expect(foreground(r as Chunk, 4)).toBe(1);
    });
  });

  it.each([
    [{ width: 0, height: 8 }, 'Expected `width` to be an integer ≥ 1, got `0` (number)'],
    [
      { width: 8, height: 8, perBigChunk: 0 },
      'Expected `perBigChunk` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      { width: 8, height: 8, minForeground: 2 },
      'Expected `minForeground` to be a number between 0 and 1, got `2` (number)',
    ],
    [
      { width: 8, height: 8, backgroundLevel: 300 },
      'Expected `backgroundLevel` to be an integer between 0 and 255, got `300` (number)',
    ],
    [
      { width: 8, height: 8, maxTries: 0 },
      'Expected `maxTries` to be an integer ≥ 1, got `0` (number)',
    ],
  ])('refuses bad options with the house message (%j)', (options, message) => {
    expect(() => randomPatches(options)).toThrow(message);
  });

  it('fills the documented defaults into its spec', () => {
    expect(randomPatches({ width: 4, height: 5 })).toEqual({
      builtin: 'randomPatches',
      options: {
        width: 4,
        height: 5,
        perBigChunk: 64,
        minForeground: 0,
        backgroundLevel: 220,
        maxTries: 8,
      },
    });
  });
});
