/**
 * Worker task of the shared-output raw-tinypool row: read one 2048² region with sharp and cut its
 * 64 patches straight into the `SharedArrayBuffer` the task brings (reused from task to task by
 * the main thread), so nothing is allocated or transferred per region for the patches.
 */
import { readRegion } from '../pipeline-read.js';
import {
  CHANNELS,
  PATCH_BYTES,
  PATCH_SIZE,
  PATCHES_PER_REGION,
  REGION_SIZE,
  type ReadTimes,
  type RegionTask,
} from '../pipeline-workload.js';

/** A region task with the shared memory to cut into (`PATCHES_PER_REGION × PATCH_BYTES`). */
export interface SharedCutTask extends RegionTask {
  readonly out: SharedArrayBuffer;
}

/** Reads the region and cuts its patches into `task.out`; resolves with the read's time in ms. */
export default async function readAndCutShared(task: SharedCutTask): Promise<number> {
  const times: ReadTimes = { reads: 0, totalMs: 0 };
  const pixels = await readRegion(task, times);
  const out = new Uint8Array(task.out);
  const rowBytes = PATCH_SIZE * CHANNELS;
  const stride = REGION_SIZE * CHANNELS;
  for (let i = 0; i < PATCHES_PER_REGION; i++) {
    let src = task.offsets[2 * i + 1]! * stride + task.offsets[2 * i]! * CHANNELS;
    let dst = i * PATCH_BYTES;
    for (let row = 0; row < PATCH_SIZE; row++, src += stride, dst += rowBytes) {
      out.set(pixels.subarray(src, src + rowBytes), dst);
    }
  }
  return times.totalMs;
}
