/**
 * Measures one row: a consumer that does nothing pulls the row's output until `patches` patches
 * came out, while peak RSS and the main event-loop delay are sampled.
 */
import os from 'node:os';
import { sampleEventLoopDelay, sampleRss } from './harness.js';
import type { RowDefinition, RowEnv } from './pipeline-workload.js';

/** Marks the result line a row's process prints on stdout. */
export const RESULT_PREFIX = 'PIPELINE_ROW_RESULT ';

/** What one run of one row measured. */
export interface RowMeasurement {
  readonly row: string;
  /** Patches delivered. */
  readonly patches: number;
  /** From the row's start (pool and workers included) to its first batch, in ms. */
  readonly firstBatchMs: number;
  /** Patches per second after the first batch (the first batch is the warm-up). */
  readonly patchesPerSecond: number;
  /** Patches per second from the start, first batch included. */
  readonly overallPatchesPerSecond: number;
  /** RSS of the process just before the row started, in MiB. */
  readonly baselineRssMiB: number;
  /** Peak RSS while the row ran, in MiB (sampled every 20 ms). */
  readonly peakRssMiB: number;
  /** 99th percentile of the main event-loop delay while the row ran, in ms. */
  readonly eventLoopP99Ms: number;
  /** Largest main event-loop delay, in ms. */
  readonly eventLoopMaxMs: number;
  /**
   * CPU time of the whole process (every thread: main, workers, libuv's pool) per patch after the
   * first batch, in ms: the row's cost, which other load on the machine does not inflate the way
   * it inflates wall time.
   */
  readonly cpuMsPerPatch: number;
  /** CPU time over wall time after the first batch: how many cores the row kept busy. */
  readonly cpuCores: number;
  /** Big chunks read. */
  readonly reads: number;
  /** Mean time of one big-chunk read, in ms (as each row sees it: in a worker, or a main-thread await). */
  readonly readMsMean: number;
  /** Time to stop the row (break out, close pools), in ms. */
  readonly stopMs: number;
  /** One-minute load average when the row started. */
  readonly loadAverage: number;
  /** Extra figures the row reported. */
  readonly details: Readonly<Record<string, string | number>>;
}

/**
 * Runs `definition` until `patches` patches are delivered, then breaks out of it.
 *
 * @throws Error if the row ends before delivering `patches` patches.
 */
export async function measureRow(
  row: string,
  definition: RowDefinition,
  env: Omit<RowEnv, 'reads' | 'details'>,
  patches: number,
): Promise<RowMeasurement> {
  const full: RowEnv = { ...env, reads: { reads: 0, totalMs: 0 }, details: {} };
  const loadAverage = os.loadavg()[0] ?? 0;
  const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
  const rss = sampleRss(20);
  const eld = sampleEventLoopDelay();
  const start = performance.now();
  let firstAt: number | undefined;
  let firstCpu = process.cpuUsage();
  let endCpu = firstCpu;
  let firstCount = 0;
  let delivered = 0;
  let endAt = start;
  let peakRssMiB = baselineRssMiB;
  let delay = { p99: 0, max: 0 };
  let stopMs = 0;
  const iterator = definition.run(full)[Symbol.asyncIterator]();
  try {
    while (delivered < patches) {
      const next = await iterator.next();
      if (next.done === true) throw new Error(`Row ${row} ended after ${delivered} patches`);
      delivered += next.value.count;
      if (firstAt === undefined) {
        firstAt = performance.now();
        firstCpu = process.cpuUsage();
        firstCount = delivered;
      }
    }
    endAt = performance.now();
    endCpu = process.cpuUsage();
  } finally {
    peakRssMiB = rss.stop();
    delay = eld.stop();
    const stopping = performance.now();
    await iterator.return?.();
    stopMs = performance.now() - stopping;
  }
  const first = firstAt ?? endAt;
  const cpuMs = (endCpu.user + endCpu.system - firstCpu.user - firstCpu.system) / 1000;
  return {
    row,
    patches: delivered,
    firstBatchMs: first - start,
    patchesPerSecond: ((delivered - firstCount) * 1000) / Math.max(endAt - first, 1e-9),
    overallPatchesPerSecond: (delivered * 1000) / Math.max(endAt - start, 1e-9),
    baselineRssMiB,
    peakRssMiB,
    eventLoopP99Ms: delay.p99,
    eventLoopMaxMs: delay.max,
    cpuMsPerPatch: cpuMs / Math.max(delivered - firstCount, 1),
    cpuCores: cpuMs / Math.max(endAt - first, 1e-9),
    reads: full.reads.reads,
    readMsMean: full.reads.reads === 0 ? 0 : full.reads.totalMs / full.reads.reads,
    stopMs,
    loadAverage,
    details: full.details,
  };
}
