/**
 * Worker task of the raw-tinypool row: read one 2048² region with sharp and cut its 64 patches
 * into one packed buffer (`64 × 224 × 224 × 3` bytes, in the task's order), which the worker's
 * entry transfers back to the main thread.
 */
import { readRegion } from '../pipeline-read.js';
import { cutPatchesPacked, type ReadTimes, type RegionTask } from '../pipeline-workload.js';

/** What a task returns. */
export interface ReadCutResult {
  /** The patches, packed. */
  readonly data: Uint8Array;
  /** Time of the region read inside the worker, in ms. */
  readonly readMs: number;
}

/** Reads the region and returns its patches, packed. */
export default async function readAndCut(task: RegionTask): Promise<ReadCutResult> {
  const times: ReadTimes = { reads: 0, totalMs: 0 };
  const pixels = await readRegion(task, times);
  return { data: cutPatchesPacked(task, pixels), readMs: times.totalMs };
}
