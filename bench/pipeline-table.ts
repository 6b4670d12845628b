/**
 * Turns the pipeline benchmark's runs (rows × rounds) into the printed table: medians over
 * rounds, the ceiling row times the cores, each row's ratio to it, and a check of the issue's
 * targets for the LightDL rows.
 */
import type { BenchRow } from './harness.js';
import type { ChildRun } from './pipeline-child.js';
import type { RowDefinition } from './pipeline-workload.js';

/** Targets of the headline benchmark. */
const TARGET_RATIO = 0.8;
const TARGET_FIRST_BATCH_MS = 1000;
const TARGET_EVENT_LOOP_P99_MS = 20;
const TARGET_RSS_SLACK_MIB = 300;

/** All runs of one row. */
export interface RowRuns {
  readonly id: string;
  readonly definition: RowDefinition;
  readonly runs: readonly ChildRun[];
  /** Why runs failed, if any did. */
  readonly failures: readonly string[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One row's figures, aggregated over its runs. */
interface Summary {
  readonly patchesPerSecond: number;
  readonly min: number;
  readonly max: number;
  readonly firstBatchMs: number;
  readonly peakRssMiB: number;
  readonly baselineRssMiB: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly readMsMean: number;
  readonly cpuMsPerPatch: number;
  readonly cpuCores: number;
  readonly otherCores: number;
  readonly clean: boolean;
}

function summarize(runs: readonly ChildRun[]): Summary | undefined {
  if (runs.length === 0) return undefined;
  const m = runs.map((r) => r.measurement);
  const rate = m.map((x) => x.patchesPerSecond);
  return {
    patchesPerSecond: median(rate),
    min: Math.min(...rate),
    max: Math.max(...rate),
    firstBatchMs: median(m.map((x) => x.firstBatchMs)),
    peakRssMiB: Math.max(...m.map((x) => x.peakRssMiB)),
    baselineRssMiB: median(m.map((x) => x.baselineRssMiB)),
    eventLoopP99Ms: median(m.map((x) => x.eventLoopP99Ms)),
    eventLoopMaxMs: Math.max(...m.map((x) => x.eventLoopMaxMs)),
    readMsMean: median(m.map((x) => x.readMsMean)),
    cpuMsPerPatch: median(m.map((x) => x.cpuMsPerPatch)),
    cpuCores: median(m.map((x) => x.cpuCores)),
    otherCores: median(m.map((x) => x.otherCores)),
    clean: runs.every((r) => r.exitedCleanly),
  };
}

function targets(s: Summary, bufferMiB: number, ceiling: number, bestOther: number): string {
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISS');
  return [
    `≥80% ${mark(s.patchesPerSecond >= TARGET_RATIO * ceiling)}`,
    `ahead ${mark(s.patchesPerSecond > bestOther)}`,
    `1st<1s ${mark(s.firstBatchMs < TARGET_FIRST_BATCH_MS)}`,
    `p99<20 ${mark(s.eventLoopP99Ms < TARGET_EVENT_LOOP_P99_MS)}`,
    `RSS ${mark(s.peakRssMiB <= bufferMiB + TARGET_RSS_SLACK_MIB)}`,
  ].join(' ');
}

/**
 * Builds the table. `cores` multiplies the ceiling row's figure into the machine's ceiling.
 *
 * The `<cores>-core bound` column is derived, not measured: the patches/s a row would reach if
 * it kept every core busy at its measured CPU cost per patch. Other load on the machine steals
 * cores from a row but hardly changes its CPU cost per patch, so on a busy machine this column
 * says what an idle one would show for the rows that can use every core.
 *
 * @returns The rows, in order, with the ceiling × cores row after the ceiling.
 */
export function pipelineTable(all: readonly RowRuns[], cores: number): BenchRow[] {
  const summaries = all.map((r) => ({ ...r, summary: summarize(r.runs) }));
  const ceilingOne = summaries.find((r) => r.id === 'ceiling')?.summary?.patchesPerSecond ?? NaN;
  const ceiling = ceilingOne * cores;
  const bestOther = Math.max(
    0,
    ...summaries
      .filter((r) => r.id !== 'ceiling' && !r.id.startsWith('lightdl'))
      .map((r) => r.summary?.patchesPerSecond ?? 0),
  );
  const rows: BenchRow[] = [];
  for (const r of summaries) {
    const s = r.summary;
    if (s === undefined) {
      rows.push({ row: r.definition.label, 'patches/s': `failed: ${r.failures.join('; ')}` });
      continue;
    }
    const bufferMiB = r.definition.bufferMiB;
    rows.push({
      row: r.definition.label,
      runs: r.runs.length,
      'patches/s': s.patchesPerSecond,
      'min–max': `${s.min.toFixed(0)}–${s.max.toFixed(0)}`,
      'vs ceiling×cores': `${((100 * s.patchesPerSecond) / ceiling).toFixed(1)}%`,
      'first batch ms': s.firstBatchMs,
      'peak RSS MiB': s.peakRssMiB,
      'base RSS MiB': s.baselineRssMiB,
      'buffers MiB': bufferMiB === undefined ? '' : bufferMiB,
      'ELD p99 ms': s.eventLoopP99Ms,
      'ELD max ms': s.eventLoopMaxMs,
      'read ms': s.readMsMean,
      'CPU ms/patch': s.cpuMsPerPatch,
      'CPU cores': s.cpuCores,
      [`${cores}-core bound`]: (cores * 1000) / s.cpuMsPerPatch,
      'other cores': s.otherCores < 0 ? '' : s.otherCores,
      'clean exit': s.clean ? 'yes' : 'NO',
      targets:
        bufferMiB === undefined || r.definition.checkTargets === false
          ? ''
          : targets(s, bufferMiB, ceiling, bestOther),
      ...(r.failures.length === 0 ? {} : { failures: r.failures.join('; ') }),
    });
    if (r.id === 'ceiling') {
      rows.push({
        row: `ceiling × ${cores} cores`,
        'patches/s': ceiling,
        'vs ceiling×cores': '100.0%',
      });
    }
  }
  return rows;
}
