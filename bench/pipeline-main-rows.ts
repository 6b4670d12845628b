/**
 * The rows that run everything on the main thread with sharp: the ceiling loop, the plain loop a
 * user writes first, and sharp with N reads in flight.
 */
import { readRegion } from './pipeline-read.js';
import {
  Collator,
  cutPatches,
  patchInfos,
  regionPlan,
  type BenchBatch,
  type RegionTask,
  type RowDefinition,
  type RowEnv,
  type RowOutput,
} from './pipeline-workload.js';

/** Cuts a region's patches and collates them; yields every batch completed. */
function* cutAndBatch(
  task: RegionTask,
  pixels: Uint8Array,
  collator: Collator,
): Generator<BenchBatch> {
  const patches = cutPatches(task, pixels);
  const infos = patchInfos(task);
  for (let i = 0; i < patches.length; i++) {
    const batch = collator.add(patches[i]!, infos[i]!);
    if (batch !== undefined) yield batch;
  }
}

/**
 * The ceiling: one thread, one read at a time, 64 crops per region, no batching. Its figure times
 * the number of cores is what the machine can do.
 */
export const ceilingRow: RowDefinition = {
  label: 'ceiling: 1 thread, sharp read + 64 crops',
  workers: false,
  async *run(env: RowEnv): AsyncGenerator<RowOutput> {
    const next = regionPlan(env.slides, env.seed);
    for (;;) {
      const task = next();
      const patches = cutPatches(task, await readRegion(task, env.reads));
      yield { count: patches.length };
    }
  },
};

/** What a user writes first: read, cut, batch, one region at a time. */
export const plainLoopRow: RowDefinition = {
  label: 'plain loop (sharp, await each read)',
  workers: false,
  async *run(env: RowEnv): AsyncGenerator<RowOutput> {
    const next = regionPlan(env.slides, env.seed);
    const collator = new Collator();
    for (;;) {
      const task = next();
      yield* cutAndBatch(task, await readRegion(task, env.reads), collator);
    }
  },
};

/**
 * sharp with `n` reads in flight on the main thread (decoding runs on libuv's thread pool),
 * cutting and batching on the main thread as each read completes, in order.
 */
export function sharpInFlightRow(n: number): RowDefinition {
  return {
    label: `sharp ×${n} in flight (main thread)`,
    workers: false,
    async *run(env: RowEnv): AsyncGenerator<RowOutput> {
      const next = regionPlan(env.slides, env.seed);
      const collator = new Collator();
      const inFlight: { task: RegionTask; pixels: Promise<Uint8Array> }[] = [];
      try {
        for (;;) {
          while (inFlight.length < n) {
            const task = next();
            inFlight.push({ task, pixels: readRegion(task, env.reads) });
          }
          const { task, pixels } = inFlight.shift()!;
          yield* cutAndBatch(task, await pixels, collator);
        }
      } finally {
        // Let the reads still running settle before the row counts as finished.
        await Promise.allSettled(inFlight.map((r) => r.pixels));
      }
    },
  };
}
