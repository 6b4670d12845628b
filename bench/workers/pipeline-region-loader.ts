/**
 * A big-chunk loader module for the diagnostic LightDL row: the built-in `randomRegion`'s job
 * (a uniformly random 2048² level-0 region of the patient's first record), read with sharp's
 * `toBuffer()` and handed over as is, where the library reader copies every region into an
 * ArrayBuffer of its own (so it can be transferred) and the load job then copies it once more
 * into shared memory. Side by side with the built-in row, it prices that extra 12 MiB copy per
 * big chunk.
 */
import sharp from 'sharp';
import type { BigChunkLoader } from '../../src/loaders/big-chunk-loader.js';
import { CHANNELS, REGION_SIZE } from '../pipeline-workload.js';

/** Side of the canonical slides (the loader reads no header). */
const SLIDE_SIZE = 16384;

/** Reads a random 2048² region of the patient's first record. */
export const bufferRegionLoader: BigChunkLoader = async (patient, ctx) => {
  const record = patient.records[0];
  if (record === undefined) throw new Error(`Patient ${patient.id} has no record`);
  const left = ctx.random.int(0, SLIDE_SIZE - REGION_SIZE);
  const top = ctx.random.int(0, SLIDE_SIZE - REGION_SIZE);
  ctx.signal.throwIfAborted();
  const { data, info } = await sharp(record.path, { limitInputPixels: false })
    .extract({ left, top, width: REGION_SIZE, height: REGION_SIZE })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== CHANNELS) throw new Error(`Expected RGB, got ${info.channels} channels`);
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels,
    info: {
      record: record.name,
      region: { level: 0, x: left, y: top, width: REGION_SIZE, height: REGION_SIZE },
      downsample: 1,
    },
  };
};
