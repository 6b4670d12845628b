/**
 * LightDL's stats snapshot and readable summary.
 */
import { describe, expect, it } from 'vitest';
import type { BigChunkInfo } from '../../src/loaders/big-chunk.js';
import { SMALL, lightDLFactory, slideDataset } from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

describe('LightDL stats', () => {
  it('describes a loader that has not started', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2) });
    const s = dl.stats();
    expect(s).toMatchObject({
      started: false,
      closed: false,
      elapsedMs: 0,
      smallChunksDelivered: 0,
      batchesDelivered: 0,
      firstChunkMs: undefined,
      buffered: 0,
      bigChunksLoaded: 0,
      errors: 0,
      pool: undefined,
    });
    expect(s.scheduler.started).toBe(false);
    expect(s.scheduler.patients.map((p) => p.id)).toEqual(['p0', 'p1']);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('counts what was delivered and loaded, consistently with the scheduler and the pool', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2) });
    const loaded: BigChunkInfo[] = [];
    dl.bigChunks$.subscribe((b) => loaded.push(b));
    let batches = 0;
    let last = dl.stats();
    for await (const b of dl) {
      expect(b.shape[0]).toBe(8);
      last = dl.stats();
      if (++batches === 6) break;
    }
    expect(last.started).toBe(true);
    expect(last.batchesDelivered).toBeGreaterThanOrEqual(6);
    expect(last.smallChunksDelivered).toBe(last.scheduler.counters.delivered);
    expect(last.smallChunksDelivered).toBeGreaterThanOrEqual(48);
    expect(last.firstChunkMs).toBeGreaterThan(0);
    expect(last.bigChunksLoaded).toBe(loaded.length);
    expect(last.bigChunksLoaded).toBe(last.scheduler.counters.loadsSucceeded);
    expect(last.meanLoadMs).toBeGreaterThan(0);
    expect(last.errors).toBe(0);
    expect(last.pool!.workerCount).toBe(2);
    expect(last.pool!.completed).toBeGreaterThan(0);
    const summary = dl.summary();
    expect(summary).toContain(`${last.smallChunksDelivered} small chunks`);
    expect(summary).toMatch(/big chunks: \d+ loaded/);
    expect(summary).toMatch(/patients: p0×1, p1×1/);
    expect(summary).toMatch(/pool: 2 workers/);
  });

  it('counts the batches of a custom collate in shared memory towards a reclaim hint, and plain ones not', async () => {
    // 64 MiB per batch, never touched: two batches are the 128 MiB that call for a hint.
    const shared = make({
      ...SMALL,
      dataset: await slideDataset(2),
      collate: (chunks) => ({
        data: new Uint8Array(new SharedArrayBuffer(64 * 1024 * 1024)),
        n: chunks.length,
      }),
    });
    let batches = 0;
    for await (const b of shared) {
      expect(b.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      if (++batches === 4) break;
    }
    expect(shared.stats().reclaimHints).toBeGreaterThanOrEqual(1);
    const plain = make({
      ...SMALL,
      dataset: await slideDataset(2),
      collate: (chunks) => ({ data: new Uint8Array(64 * 1024 * 1024), n: chunks.length }),
    });
    batches = 0;
    for await (const b of plain) {
      expect(b.n).toBe(8);
      if (++batches === 4) break;
    }
    expect(plain.stats().reclaimHints).toBe(0);
  });
});
