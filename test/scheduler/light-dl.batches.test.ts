/**
 * LightDL batches: shape and metadata of the default collation, a custom collation, and the
 * last partial batch when the stream ends.
 */
import { describe, expect, it } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import { PatientsExhaustedError } from '../../src/errors.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import type { Batch } from '../../src/scheduler/batch.js';
import {
  LOADERS,
  SMALL,
  lightDLFactory,
  slideDataset,
  until,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

describe('LightDL batches', () => {
  it('collates N×H×W×C uint8 batches whose metadata matches every sample, each delivered once', async () => {
    const dataset = await slideDataset(3);
    const dl = make({
      ...SMALL,
      dataset,
      smallChunkCollector: randomPatches({ width: 20, height: 12, perBigChunk: 5 }),
      batchSize: 7,
    });
    const batches: Batch[] = [];
    for await (const batch of dl) {
      batches.push(batch);
      if (batches.length === 10) break;
    }
    const seen = new Set<string>();
    batches.forEach((b, i) => {
      expect(b.index).toBe(i);
      expect(b.shape).toEqual([7, 12, 20, 3]);
      expect(b.data).toBeInstanceOf(Uint8Array);
      expect(b.data.length).toBe(7 * 12 * 20 * 3);
      expect(b.smallChunks).toHaveLength(7);
      for (const info of b.smallChunks) {
        expect(['p0', 'p1', 'p2']).toContain(info.patient);
        expect(info.parent.patient).toBe(info.patient);
        expect([info.width, info.height]).toEqual([20, 12]);
        expect(info.callCount).toBeGreaterThanOrEqual(0);
        expect(info.callCount).toBeLessThan(5);
        const key = `${info.patient}:${info.parent.tenure}:${info.parent.index}:${info.callCount}`;
        expect(seen.has(key), `${key} delivered twice`).toBe(false);
        seen.add(key);
      }
    });
    expect(dl.stats().batchesDelivered).toBeGreaterThanOrEqual(10);
  });

  it('hands a custom collate fresh arrays of small chunks and the batch number (float32, normalised)', async () => {
    const dataset = await slideDataset(2);
    const copies: Uint8Array[][] = [];
    const dl = make({
      ...SMALL,
      dataset,
      batchSize: 4,
      collate: (chunks: SmallChunk[], index: number) => {
        copies.push(chunks.map((c) => c.data.slice()));
        const size = chunks[0]!.data.length;
        const xs = new Float32Array(size * chunks.length);
        chunks.forEach((c, i) => c.data.forEach((v, j) => (xs[i * size + j] = v / 255)));
        return { xs, index, patients: chunks.map((c) => c.info.patient) };
      },
    });
    const got: { xs: Float32Array; index: number; patients: string[] }[] = [];
    for await (const b of dl) {
      got.push(b);
      if (got.length === 5) break;
    }
    got.forEach((b, i) => {
      expect(b.index).toBe(i);
      expect(b.xs).toHaveLength(4 * 32 * 32 * 3);
      expect(b.patients).toHaveLength(4);
      const bytes = copies[i]!.flatMap((d) => [...d]);
      expect(Math.max(...b.xs)).toBeLessThanOrEqual(1);
      expect([...b.xs].map((v) => Math.round(v * 255))).toEqual(bytes);
    });
  });

  it('fills batches larger than the merged queue (batchSize > maxLengthQueueLightDL)', async () => {
    const dataset = await slideDataset(2);
    const dl = make({ ...SMALL, dataset, batchSize: 40, maxLengthQueueLightDL: 16 });
    const shapes: number[] = [];
    for await (const b of dl) {
      shapes.push(b.shape[0]);
      if (shapes.length === 3) break;
    }
    expect(shapes).toEqual([40, 40, 40]);
  });

  it('serves a finite demand larger than the merged queue in full', async () => {
    const dataset = await slideDataset(2);
    const dl = make({ ...SMALL, dataset, maxLengthQueueLightDL: 16 });
    const got: SmallChunk[] = [];
    const sub = dl.smallChunks$.subscribeWithDemand((c) => got.push(c));
    sub.request(100);
    await until(() => got.length === 100, '100 small chunks');
    expect(dl.stats().smallChunksDelivered).toBe(100);
    sub.unsubscribe();
  });

  for (const emitPartialBatch of [true, false]) {
    it(`${emitPartialBatch ? 'delivers' : 'drops'} the last partial batch when the stream ends (emitPartialBatch: ${emitPartialBatch})`, async () => {
      const dataset = await slideDataset(1);
      const dl = make({
        ...SMALL,
        dataset,
        bigChunkLoader: {
          module: LOADERS,
          export: 'firstOnly',
          options: { width: 256, height: 256 },
        },
        smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 13 }),
        batchSize: 8,
        emitPartialBatch,
        failure: { maxConsecutiveFailures: 2, backoffMs: 1 },
      });
      const sizes: number[] = [];
      const failure = await (async () => {
        try {
          for await (const b of dl) sizes.push(b.shape[0]);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(failure).toBeInstanceOf(PatientsExhaustedError);
      expect((failure as PatientsExhaustedError).patients).toEqual(['p0']);
      expect(sizes).toEqual(emitPartialBatch ? [8, 5] : [8]);
      expect(dl.stats().smallChunksDelivered).toBe(13);
    });
  }
});
