/**
 * Memory stays bounded when the consumer stops pulling: the loader fills its queues up to their
 * bounds, then goes quiet (no job running, nothing more produced), and resumes when asked.
 */
import { describe, expect, it } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import type { LightDL } from '../../src/scheduler/light-dl.js';
import { SMALL, lightDLFactory, slideDataset, until } from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

/**
 * Polls until nothing runs in the pool and `produced` stayed the same for 20 polls in a row;
 * tracks the largest `buffered` seen on the way.
 */
async function quiescent(dl: LightDL): Promise<{ maxBuffered: number }> {
  let maxBuffered = 0;
  let last = -1;
  let stable = 0;
  await until(() => {
    const s = dl.stats();
    maxBuffered = Math.max(maxBuffered, s.buffered);
    const produced = s.scheduler.counters.produced;
    const idle = s.pool !== undefined && s.pool.running === 0 && s.pool.queued === 0;
    stable = idle && produced === last ? stable + 1 : 0;
    last = produced;
    return stable >= 20;
  }, 'the loader to go quiet');
  return { maxBuffered };
}

describe('LightDL memory', () => {
  for (const rescheduleIntervalMs of [60_000, 30]) {
    it(`holds at most numBigChunkLoaders × maxLengthQueueSmallChunk + maxLengthQueueLightDL for a consumer that stops (rescheduleIntervalMs ${rescheduleIntervalMs})`, async () => {
      const dl = make({
        ...SMALL,
        dataset: await slideDataset(4),
        numBigChunkLoaders: 3,
        maxLengthQueueSmallChunk: 8,
        maxLengthQueueLightDL: 20,
        rescheduleIntervalMs,
        statsIntervalMs: 10,
        smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 5 }),
      });
      const bound = 3 * 8 + 20;
      let maxSeen = 0;
      const watch = dl.stats$.subscribe((s) => (maxSeen = Math.max(maxSeen, s.buffered)));
      const got: SmallChunk[] = [];
      const sub = dl.smallChunks$.subscribeWithDemand((c) => {
        got.push(c);
        maxSeen = Math.max(maxSeen, dl.stats().buffered);
      });
      sub.request(5);
      const { maxBuffered } = await quiescent(dl);
      const s = dl.stats();
      expect(got).toHaveLength(5);
      expect(Math.max(maxBuffered, maxSeen)).toBeLessThanOrEqual(bound);
      // It did read ahead, up to the bounds, and holds exactly what it produced and did not deliver.
      expect(s.buffered).toBe(bound);
      expect(s.scheduler.counters.produced).toBe(5 + s.buffered);
      expect(s.scheduler.mergedQueue).toBe(20);
      // It resumes when asked again.
      sub.request(60);
      await until(() => got.length === 65, '60 more small chunks');
      await quiescent(dl);
      expect(dl.stats().buffered).toBeLessThanOrEqual(bound);
      expect(got).toHaveLength(65);
      watch.unsubscribe();
      sub.unsubscribe();
    });
  }

  it("stops swapping for a stalled consumer, so onSwap: 'discard' does not churn (load, drop, load…)", async () => {
    const dl = make({
      ...SMALL,
      dataset: await slideDataset(4),
      numBigChunkLoaders: 2,
      maxLengthQueueSmallChunk: 8,
      maxLengthQueueLightDL: 8,
      rescheduleIntervalMs: 30,
      onSwap: 'discard',
      statsIntervalMs: 10,
    });
    const got: SmallChunk[] = [];
    const sub = dl.smallChunks$.subscribeWithDemand((c) => got.push(c));
    sub.request(4);
    await quiescent(dl);
    const before = dl.stats().scheduler.counters;
    // Ten swap intervals pass with nobody pulling: no swap, nothing dropped, nothing produced.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = dl.stats().scheduler.counters;
    expect([after.swaps, after.dropped.swap, after.produced]).toEqual([
      before.swaps,
      before.dropped.swap,
      before.produced,
    ]);
    // Pulling again brings swaps back.
    sub.request(200);
    await until(() => dl.stats().scheduler.counters.swaps > before.swaps, 'a swap after the pull');
    sub.unsubscribe();
  });
});
