/**
 * The region read every comparison row uses: what a user writes with sharp directly,
 * `sharp(file).extract(region).raw().toUint8Array()` (a standalone, transferable buffer).
 */
import sharp from 'sharp';
import { CHANNELS, REGION_SIZE, type ReadTimes, type RegionTask } from './pipeline-workload.js';

/**
 * Reads the task's 2048² level-0 region as RGB bytes.
 *
 * @param task - The region.
 * @param times - Receives the read's duration (from the call to the pixels, queueing included).
 */
export async function readRegion(task: RegionTask, times?: ReadTimes): Promise<Uint8Array> {
  const t0 = performance.now();
  const { data, info } = await sharp(task.path, { limitInputPixels: false })
    .extract({ left: task.left, top: task.top, width: REGION_SIZE, height: REGION_SIZE })
    .raw()
    .toUint8Array();
  if (info.channels !== CHANNELS || info.width !== REGION_SIZE || info.height !== REGION_SIZE) {
    throw new Error(
      `Expected a ${REGION_SIZE}×${REGION_SIZE}×${CHANNELS} region of ${task.path}, got ${info.width}×${info.height}×${info.channels}`,
    );
  }
  if (times !== undefined) {
    times.reads++;
    times.totalMs += performance.now() - t0;
  }
  return data;
}
