/**
 * The raw-tinypool row with shared output: as the raw-tinypool row, but each task cuts its 64
 * patches into a `SharedArrayBuffer` the main thread hands it and reuses once the patches are
 * collated, instead of a fresh buffer transferred back. It is what the data path costs in worker
 * threads with no allocation or transfer per region: a floor for any worker-based loader.
 */
import { rawTinypool } from './pipeline-tinypool-worker.js';
import type { SharedCutTask } from './workers/pipeline-read-cut-shared.js';
import {
  Collator,
  PATCH_BYTES,
  PATCHES_PER_REGION,
  WORKERS,
  patchInfos,
  regionPlan,
  type RowDefinition,
  type RowEnv,
  type RowOutput,
} from './pipeline-workload.js';

/** Tasks kept in flight per worker, so a worker never waits for the main thread. */
const TASKS_PER_WORKER = 2;

/** Raw tinypool with {@link WORKERS} threads cutting into reused shared memory. */
export const rawTinypoolSharedRow: RowDefinition = {
  label: `raw tinypool, shared output (${WORKERS} threads, reused SharedArrayBuffers)`,
  workers: true,
  async *run(env: RowEnv): AsyncGenerator<RowOutput> {
    const pool = rawTinypool('pipeline-read-cut-shared', false);
    const next = regionPlan(env.slides, env.seed);
    const collator = new Collator();
    const free: SharedArrayBuffer[] = [];
    const inFlight: { task: SharedCutTask; readMs: Promise<number> }[] = [];
    try {
      for (;;) {
        while (inFlight.length < WORKERS * TASKS_PER_WORKER) {
          const out = free.pop() ?? new SharedArrayBuffer(PATCHES_PER_REGION * PATCH_BYTES);
          const task: SharedCutTask = { ...next(), out };
          inFlight.push({ task, readMs: pool.run(task) as Promise<number> });
        }
        const { task, readMs } = inFlight.shift()!;
        env.reads.reads++;
        env.reads.totalMs += await readMs;
        const patches = new Uint8Array(task.out);
        const infos = patchInfos(task);
        const batches = [];
        for (let i = 0; i < PATCHES_PER_REGION; i++) {
          const batch = collator.add(
            patches.subarray(i * PATCH_BYTES, (i + 1) * PATCH_BYTES),
            infos[i]!,
          );
          if (batch !== undefined) batches.push(batch);
        }
        // Every patch is copied into a batch by now: the block can take another region.
        free.push(task.out);
        yield* batches;
      }
    } finally {
      await Promise.allSettled(inFlight.map((t) => t.readMs));
      await pool.destroy();
    }
  },
};
