/**
 * LightDL end to end on real synthetic slides: the pixels it delivers are the pixels of the slide
 * at the reported (patient, level, x, y), in workers and in debug mode alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openImage, type OpenedImage } from '../../src/readers/index.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import {
  LOADERS,
  SMALL,
  lightDLFactory,
  slidePaths,
  datasetOf,
  until,
  walk,
  type Sample,
} from '../fixtures/workers/tree-harness.js';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import type { Batch } from '../../src/scheduler/batch.js';
import type { LightDLOptions } from '../../src/scheduler/light-dl-options.js';

const make = lightDLFactory();
const opened: OpenedImage[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((img) => img.close()));
});

/** Reads each sample's region afresh and returns the samples whose pixels differ. */
async function mismatches(
  samples: readonly Sample[],
  paths: ReadonlyMap<string, string>,
): Promise<string[]> {
  const images = new Map<string, OpenedImage>();
  const bad: string[] = [];
  for (const s of samples) {
    const { patient, level, x, y, width, height } = s.info;
    let img = images.get(patient);
    if (img === undefined) {
      img = await openImage(paths.get(patient)!, { reader: 'sharp' });
      opened.push(img);
      images.set(patient, img);
    }
    const fresh = await img.readRegion({ level, x, y, width, height });
    if (
      fresh.channels !== s.data.length / (width * height) ||
      !fresh.data.every((v, i) => v === s.data[i])
    ) {
      bad.push(`${patient} level ${level} (${x}, ${y}) ${width}×${height}`);
    }
  }
  return bad;
}

/** Each small chunk of a batch with a copy of its pixels (the batch's memory may be reused). */
function copiedSamples(batch: Batch): Sample[] {
  const [, h, w, c] = batch.shape;
  const size = h * w * c;
  return batch.smallChunks.map((info, i) => ({
    info,
    data: batch.data.slice(i * size, (i + 1) * size),
  }));
}

/** A loader over `count` slides (patients `p0`, `p1`, …) with these options; the paths by patient. */
async function overSlides(count: number, options: Partial<LightDLOptions>) {
  const files = await slidePaths(count);
  const paths = new Map(files.map((p, i) => [`p${i}`, p]));
  const dl = make({
    ...SMALL,
    dataset: datasetOf([...paths].map(([id, path]) => ({ id, path }))),
    ...options,
  });
  return { dl, paths };
}

/** Two slides cutting 16 × 16 patches, 16 per big chunk. */
const twoSlides = (options: Partial<LightDLOptions>) =>
  overSlides(2, {
    smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 16 }),
    ...options,
  });

describe('LightDL pixels', () => {
  for (const debug of [false, true]) {
    it(`delivers patches equal to a fresh read at their position (${debug ? 'in-process debug mode' : 'worker threads'})`, async () => {
      const { dl, paths } = await overSlides(3, {
        bigChunkLoader: randomRegion({ level: 0, width: 512, height: 384 }),
        smallChunkCollector: randomPatches({ width: 48, height: 40, perBigChunk: 6 }),
        numBigChunkLoaders: 3,
        debug,
      });
      const samples: Sample[] = [];
      let reused = 0;
      let bigReused = 0;
      await walk(dl, (s) => {
        samples.push({ info: s.info, data: s.data.slice() });
        reused = dl.stats().blocksReused;
        bigReused = dl.stats().bigChunksReused;
        return (
          samples.length < 96 ||
          bigReused < 2 ||
          new Set(samples.map((t) => t.info.patient)).size < paths.size
        );
      });
      // Shared blocks went back to the workers after their chunks were batched, and were cut into
      // again; finished big chunks' memory was read into again: the pixel check below covers
      // batches made from reused blocks, cut from big chunks in reused memory.
      expect(reused).toBeGreaterThan(0);
      expect(bigReused).toBeGreaterThanOrEqual(2);
      expect(new Set(samples.map((s) => s.info.patient))).toEqual(new Set(paths.keys()));
      // Several big chunks per patient were cut from, at many positions.
      expect(
        new Set(
          samples.map((s) => `${s.info.patient}:${s.info.parent.tenure}:${s.info.parent.index}`),
        ).size,
      ).toBeGreaterThan(6);
      expect(new Set(samples.map((s) => `${s.info.x},${s.info.y}`)).size).toBeGreaterThan(48);
      expect(await mismatches(samples, paths)).toEqual([]);
    });
  }

  it("never reads into memory a loader returned of its own (a loader's cache stays intact)", async () => {
    // p0's big chunk is always the loader's cached region; p1 and p2 read random regions of the
    // same size into allocate()d memory, reused from finished big chunks. Had p0's cached memory
    // gone to a later load, p0's patches would show another region's pixels.
    const { dl, paths } = await overSlides(3, {
      bigChunkLoader: {
        module: LOADERS,
        export: 'cachedFor',
        options: { region: { level: 0, width: 256, height: 192 }, patient: 'p0' },
      },
      smallChunkCollector: randomPatches({ width: 32, height: 32, perBigChunk: 4 }),
      numBigChunkLoaders: 2,
      rescheduleIntervalMs: 20,
    });
    const samples: Sample[] = [];
    let bigReused = 0;
    await walk(dl, (s) => {
      samples.push({ info: s.info, data: s.data.slice() });
      bigReused = dl.stats().bigChunksReused;
      const p0Tenures = new Set(
        samples.filter((t) => t.info.patient === 'p0').map((t) => t.info.parent.tenure),
      );
      return samples.length < 200 || bigReused < 4 || p0Tenures.size < 3;
    });
    expect(bigReused).toBeGreaterThanOrEqual(4);
    expect(samples.some((s) => s.info.patient === 'p0')).toBe(true);
    expect(await mismatches(samples, paths)).toEqual([]);
  });

  it('never reuses a shared block while a small chunk cut into it still waits to be batched', async () => {
    // Small batches, a slow consumer and deep queues: a block's chunks are batched over many
    // batches, while later collect jobs keep asking for blocks to reuse.
    const { dl, paths } = await twoSlides({
      maxLengthQueueSmallChunk: 16,
      maxLengthQueueLightDL: 48,
      batchSize: 3,
    });
    const samples: Sample[] = [];
    let reused = 0;
    for await (const batch of dl) {
      samples.push(...copiedSamples(batch));
      reused = dl.stats().blocksReused;
      if (samples.length >= 240 && reused >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(reused).toBeGreaterThanOrEqual(4);
    expect(await mismatches(samples, paths)).toEqual([]);
  });

  it('writes later batches into the memory of released ones, with the right pixels', async () => {
    const { dl, paths } = await twoSlides({ batchSize: 4 });
    const samples: Sample[] = [];
    const released = new Set<ArrayBufferLike>();
    let written = 0;
    let refusedTwice = 0;
    for await (const batch of dl) {
      if (released.has(batch.data.buffer)) written++;
      samples.push(...copiedSamples(batch));
      expect(dl.release(batch)).toBe(true);
      if (!dl.release(batch)) refusedTwice++;
      released.add(batch.data.buffer);
      if (samples.length >= 120) break;
    }
    // Every batch after the first few was written into a released one's memory.
    expect(written).toBeGreaterThan(20);
    // Counted as collated: the batches read ahead (2 by default) may be among them.
    expect(dl.stats().batchesReused - written).toBeGreaterThanOrEqual(0);
    expect(dl.stats().batchesReused - written).toBeLessThanOrEqual(2);
    expect(refusedTwice).toBe(samples.length / 4);
    expect(await mismatches(samples, paths)).toEqual([]);
  });

  it('takes back no batch of a custom collate, of another loader, or after close()', async () => {
    const files = await slidePaths(1);
    const dataset = datasetOf([{ id: 'p0', path: files[0]! }]);
    const custom = make({
      ...SMALL,
      dataset,
      collate: (chunks) => ({ data: new Uint8Array(8), n: chunks.length }),
    });
    for await (const batch of custom) {
      expect(custom.release(batch)).toBe(false);
      break;
    }
    const one = make({ ...SMALL, dataset });
    const other = make({ ...SMALL, dataset });
    let kept: Batch | undefined;
    for await (const batch of one) {
      expect(other.release(batch)).toBe(false);
      kept = batch;
      break;
    }
    await one.close();
    expect(one.release(kept!)).toBe(false);
    expect(one.stats().batchesReused).toBe(0);
  });

  it('gives smallChunks$ subscribers pixels of their own, equal to a fresh read', async () => {
    const { dl, paths } = await overSlides(2, {
      smallChunkCollector: randomPatches({ width: 24, height: 16, perBigChunk: 4 }),
    });
    const got: SmallChunk[] = [];
    const sub = dl.smallChunks$.subscribeWithDemand((c) => got.push(c));
    sub.request(40);
    await until(() => got.length === 40, '40 small chunks');
    sub.unsubscribe();
    expect(got.every((c) => c.data.buffer instanceof ArrayBuffer)).toBe(true);
    expect(
      got.every((c) => c.data.byteOffset === 0 && c.data.buffer.byteLength === 24 * 16 * 3),
    ).toBe(true);
    expect(await mismatches(got, paths)).toEqual([]);
  });

  it('reports positions at the big chunk level, inside the parent region, for level > 0', async () => {
    const { dl, paths } = await overSlides(2, {
      bigChunkLoader: randomRegion({ level: 1, width: 256, height: 256 }),
      smallChunkCollector: randomPatches({ width: 24, height: 24, perBigChunk: 4 }),
    });
    const samples: Sample[] = [];
    await walk(dl, (s) => {
      samples.push({ info: s.info, data: s.data.slice() });
      return samples.length < 32;
    });
    for (const { info } of samples) {
      const region = info.parent.region!;
      expect(info.level).toBe(1);
      expect(info.parent.downsample).toBe(2);
      expect(info.x).toBeGreaterThanOrEqual(region.x);
      expect(info.y).toBeGreaterThanOrEqual(region.y);
      expect(info.x + info.width).toBeLessThanOrEqual(region.x + region.width);
      expect(info.y + info.height).toBeLessThanOrEqual(region.y + region.height);
    }
    expect(await mismatches(samples, paths)).toEqual([]);
  });
});
