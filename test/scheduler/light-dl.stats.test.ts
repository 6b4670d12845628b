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
});
