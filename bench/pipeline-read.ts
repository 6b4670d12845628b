/**
 * The region read every comparison row uses: what a user writes with sharp directly,
 * `sharp(file).extract(region).raw().toBuffer()`.
 *
 * `toBuffer()`, not `toUint8Array()`: in sharp 0.35.5, `toUint8Array()` copies libvips' output
 * into a new `ArrayBuffer` and never frees the original (`FreeCallback(bufferOut, nullptr)` in
 * `src/pipeline.cc` frees the null pointer), so every 2048² RGB read leaks 12 MiB of native
 * memory and RSS grows without bound. `toBuffer()` hands libvips' buffer over without a copy and
 * frees it with the `Buffer`.
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
    .toBuffer({ resolveWithObject: true });
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
