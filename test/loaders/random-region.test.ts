import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/internal/rng.js';
import type { LoaderContext, PatientData } from '../../src/loaders/loader-context.js';
import {
  randomRegion,
  randomRegionLoader,
  type RandomRegionOptions,
} from '../../src/loaders/random-region.js';
import { openImage, type OpenedImage } from '../../src/readers/index.js';
import { syntheticSlidePath } from '../helpers/synthetic-slides.js';

const runs = Number(process.env['FC_NUM_RUNS']) || 25;

let slide: OpenedImage;
let path: string;
beforeAll(async () => {
  path = await syntheticSlidePath({ width: 2048, height: 2048, tileSize: 256, seed: 1 });
  slide = await openImage(path, { reader: 'sharp' });
});
afterAll(async () => {
  await slide.close();
});

const patient: PatientData = {
  id: 'p',
  metadata: {},
  records: [
    { name: 'wsi', path: '/unused.tif', metadata: {} },
    { name: 'other', path: '/unused2.tif', metadata: {} },
  ],
};

function context(
  options: RandomRegionOptions,
  seed: number,
  opened: string[] = [],
): LoaderContext<RandomRegionOptions> {
  const rng = Rng.seeded(seed);
  return {
    options,
    tenure: 1,
    index: 0,
    random: { float: () => rng.float(), int: (min, max) => rng.int(min, max) },
    checkpoint: undefined,
    lastMessage: undefined,
    signal: new AbortController().signal,
    allocate: (byteLength) => new Uint8Array(new SharedArrayBuffer(byteLength)),
    openImage: (record) => {
      opened.push(record ?? '(first)');
      return Promise.resolve(slide);
    },
  };
}

describe('randomRegion', () => {
  test.prop(
    [fc.nat(3), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 700 }), fc.integer()],
    { numRuns: runs },
  )(
    'reads a region inside the level (clamped to it), equal to a fresh read',
    async (level, w, h, seed) => {
      const lvl = slide.levels[level]!;
      const r = await randomRegionLoader(patient, context({ level, width: w, height: h }, seed));
      const region = r.info!.region!;
      expect(region.level).toBe(level);
      expect(region.width).toBe(Math.min(w, lvl.width));
      expect(region.height).toBe(Math.min(h, lvl.height));
      expect(region.x + region.width).toBeLessThanOrEqual(lvl.width);
      expect(region.y + region.height).toBeLessThanOrEqual(lvl.height);
      expect(r.info!.downsample).toBe(lvl.downsample);
      expect(r.info!.record).toBe('wsi');
      expect([r.width, r.height, r.channels]).toEqual([region.width, region.height, 3]);
      const fresh = await slide.readRegion(region);
      expect(Buffer.from(r.data).equals(Buffer.from(fresh.data))).toBe(true);
    },
  );

  it('draws the same region for the same random source', async () => {
    const a = await randomRegionLoader(patient, context({ width: 64, height: 64 }, 42));
    const b = await randomRegionLoader(patient, context({ width: 64, height: 64 }, 42));
    const c = await randomRegionLoader(patient, context({ width: 64, height: 64 }, 43));
    expect(b.info!.region).toEqual(a.info!.region);
    expect(c.info!.region).not.toEqual(a.info!.region);
  });

  it('opens the named record and reads RGBA on request', async () => {
    const opened: string[] = [];
    const r = await randomRegionLoader(
      patient,
      context({ width: 16, height: 16, record: 'other', alpha: true }, 1, opened),
    );
    expect(opened).toEqual(['other']);
    expect(r.info!.record).toBe('other');
    expect(r.channels).toBe(4);
    expect(r.data).toHaveLength(16 * 16 * 4);
  });

  it('fails naming the patient when the level does not exist', async () => {
    await expect(
      randomRegionLoader(patient, context({ level: 9, width: 16, height: 16 }, 1)),
    ).rejects.toThrow(
      new RangeError(
        `Record of patient "p" has ${slide.levels.length} level(s); level 9 does not exist`,
      ),
    );
  });

  it.each([
    [{ width: 0, height: 1 }, 'Expected `width` to be an integer ≥ 1, got `0` (number)'],
    [
      { width: 1, height: 1, level: -1 },
      'Expected `level` to be an integer ≥ 0, got `-1` (number)',
    ],
    [{ width: 1, height: 1, record: 3 }, 'Expected `record` to be a string, got `3` (number)'],
    [{ width: 1, height: 1, alpha: 'no' }, 'Expected `alpha` to be a boolean, got `"no"` (string)'],
  ])('refuses bad options with the house message (%j)', (options, message) => {
    expect(() => randomRegion(options as unknown as RandomRegionOptions)).toThrow(message);
  });

  it('fills the documented defaults into its spec', () => {
    expect(randomRegion({ width: 8, height: 9 })).toEqual({
      builtin: 'randomRegion',
      options: { level: 0, width: 8, height: 9, alpha: false },
    });
  });
});
