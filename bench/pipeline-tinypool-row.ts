/**
 * The raw-tinypool row: what a user writes with a worker pool and no loader library. Two worker
 * threads each read a region with sharp and cut its 64 patches into one buffer that is
 * transferred back; the main thread keeps two tasks per worker in flight and collates batches.
 */
import { rawTinypool } from './pipeline-tinypool-worker.js';
import type { ReadCutResult } from './workers/pipeline-read-cut.js';
import {
  Collator,
  PATCH_BYTES,
  PATCHES_PER_REGION,
  WORKERS,
  patchInfos,
  regionPlan,
  type RegionTask,
  type RowDefinition,
  type RowEnv,
  type RowOutput,
} from './pipeline-workload.js';

/** Tasks kept in flight per worker, so a worker never waits for the main thread. */
const TASKS_PER_WORKER = 2;

/** Raw tinypool with {@link WORKERS} threads. */
export const rawTinypoolRow: RowDefinition = {
  label: `raw tinypool (${WORKERS} threads, ${WORKERS * TASKS_PER_WORKER} tasks in flight)`,
  workers: true,
  async *run(env: RowEnv): AsyncGenerator<RowOutput> {
    const pool = rawTinypool('pipeline-read-cut', true);
    const next = regionPlan(env.slides, env.seed);
    const collator = new Collator();
    const inFlight: { task: RegionTask; result: Promise<ReadCutResult> }[] = [];
    try {
      for (;;) {
        while (inFlight.length < WORKERS * TASKS_PER_WORKER) {
          const task = next();
          inFlight.push({ task, result: pool.run(task) as Promise<ReadCutResult> });
        }
        const { task, result } = inFlight.shift()!;
        const { data: patches, readMs } = await result;
        env.reads.reads++;
        env.reads.totalMs += readMs;
        const infos = patchInfos(task);
        for (let i = 0; i < PATCHES_PER_REGION; i++) {
          const batch = collator.add(
            patches.subarray(i * PATCH_BYTES, (i + 1) * PATCH_BYTES),
            infos[i]!,
          );
          if (batch !== undefined) yield batch;
        }
      }
    } finally {
      await Promise.allSettled(inFlight.map((t) => t.result));
      await pool.destroy();
    }
  },
};
