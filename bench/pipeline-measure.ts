/**
 * Measures one row: a consumer that does nothing pulls the row's output until `patches` patches
 * came out, while peak RSS and the main event-loop delay are sampled.
 */
import { readFileSync } from 'node:fs';
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
  /** One-minute load average when the row started (the previous row's own load included). */
  readonly loadAverage: number;
  /**
   * Cores' worth of CPU that everything else on the machine used while the row ran after its
   * first batch (all CPU time from `/proc/stat` minus this process's), or -1 where `/proc/stat`
   * cannot be read. Above a few tenths, the row's wall-time figures were competing for cores.
   */
  readonly otherCores: number;
  /** Extra figures the row reported. */
  readonly details: Readonly<Record<string, string | number>>;
}

/** Busy CPU time of the whole machine so far, in ms, or `undefined` without `/proc/stat`. */
function machineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal …
    const busy = [1, 2, 3, 6, 7, 8].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    // /proc/stat counts in USER_HZ ticks, 100 per second on Linux.
    return (busy * 1000) / 100;
  } catch {
    return undefined;
  }
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
  let firstBusy = machineBusyMs();
  let endBusy = firstBusy;
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
        firstBusy = machineBusyMs();
        firstCount = delivered;
      }
    }
    endAt = performance.now();
    endCpu = process.cpuUsage();
    endBusy = machineBusyMs();
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
    otherCores:
      firstBusy === undefined || endBusy === undefined
        ? -1
        : Math.max(0, endBusy - firstBusy - cpuMs) / Math.max(endAt - first, 1e-9),
    details: full.details,
  };
}
