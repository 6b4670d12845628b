/**
 * The headline benchmark (DESIGN.md §5): the canonical workload (8 synthetic 16384² slides,
 * random 2048² level-0 big chunks, 64 random 224² patches each, batches of 32, 2 workers, a
 * consumer that does nothing) through LightDL and, side by side in one run, through what a user
 * would otherwise write, against the ceiling (a tight single-thread sharp read + crop loop, times
 * the cores).
 *
 * Every row runs in a fresh child process, one after the other, never two at once: rows share no
 * RSS, event loop, libvips cache or libuv thread pool, and a row's peak RSS is its own. A round
 * runs every row once for the same number of patches, with the same seed; rounds repeat with a
 * new seed and the table gives medians (peak RSS and the largest event-loop delay: the maximum).
 * Patches/s counts from the first batch on (the first batch is the warm-up, reported apart as
 * time to first batch, which includes starting pools and workers).
 *
 * `npm run bench -- pipeline [--quick]`; environment overrides: `LIGHTDL_BENCH_PATCHES` (patches
 * per row), `LIGHTDL_BENCH_ROUNDS`, `LIGHTDL_BENCH_ROWS` (comma-separated row ids; `ceiling` is
 * always run).
 */
import os from 'node:os';
import type { BenchRow, BenchScenario } from './harness.js';
import { compileRows, runRowInChild, type ChildRun } from './pipeline-child.js';
import { PIPELINE_ROWS } from './pipeline-rows.js';
import { canonicalDataset } from './pipeline-slides.js';
import { pipelineTable, type RowRuns } from './pipeline-table.js';

function envInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Expected ${name} to be an integer ≥ 1, got ${JSON.stringify(text)}`);
  }
  return value;
}

function selectedRows(): string[] {
  const text = process.env['LIGHTDL_BENCH_ROWS'];
  if (text === undefined || text === '') return [...PIPELINE_ROWS.keys()];
  const wanted = new Set(['ceiling', ...text.split(',').map((s) => s.trim())]);
  for (const id of wanted) {
    if (!PIPELINE_ROWS.has(id)) {
      throw new RangeError(
        `Unknown row ${JSON.stringify(id)} in LIGHTDL_BENCH_ROWS; have: ${[...PIPELINE_ROWS.keys()].join(', ')}`,
      );
    }
  }
  return [...PIPELINE_ROWS.keys()].filter((id) => wanted.has(id));
}

function describe(id: string, run: ChildRun): string {
  const m = run.measurement;
  const details = Object.entries(m.details)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toFixed(1) : JSON.stringify(v)}`)
    .join(' ');
  return (
    `  ${id}: ${m.patchesPerSecond.toFixed(0)} patches/s (${m.overallPatchesPerSecond.toFixed(0)} from start), ` +
    `first ${m.firstBatchMs.toFixed(0)} ms, RSS ${m.baselineRssMiB.toFixed(0)}→${m.peakRssMiB.toFixed(0)} MiB, ` +
    `ELD p99 ${m.eventLoopP99Ms.toFixed(1)} ms, read ${m.readMsMean.toFixed(1)} ms × ${m.reads}, ` +
    `CPU ${m.cpuMsPerPatch.toFixed(3)} ms/patch on ${m.cpuCores.toFixed(2)} cores, ` +
    `stop ${m.stopMs.toFixed(0)} ms, load ${m.loadAverage.toFixed(2)}, other processes ${m.otherCores.toFixed(2)} cores${details === '' ? '' : `\n    ${details}`}`
  );
}

/** The `pipeline` scenario. */
export const pipelineScenario: BenchScenario = {
  name: 'pipeline',
  title:
    'Pipeline: 8 × 16384² slides, 2048² big chunks, 64 × 224² patches each, batches of 32, 2 workers (patches/s after the first batch; medians over rounds)',
  async run({ quick }): Promise<readonly BenchRow[]> {
    const patches = envInteger('LIGHTDL_BENCH_PATCHES', quick ? 3000 : 20_000);
    const rounds = envInteger('LIGHTDL_BENCH_ROUNDS', quick ? 1 : 3);
    const ids = selectedRows();
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    log(`pipeline: preparing the canonical slides (generated once, about 20 s each)`);
    await canonicalDataset((line) => log(`  ${line}`));
    log(`pipeline: compiling the library and the rows (they run as compiled JavaScript)`);
    const script = await compileRows();
    const cores = os.cpus().length;
    log(
      `pipeline: ${ids.length} rows × ${rounds} round(s) × ${patches} patches, one child process per run; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const results = new Map<string, { runs: ChildRun[]; failures: string[] }>(
      ids.map((id) => [id, { runs: [], failures: [] }]),
    );
    // Generous: the slowest row runs at a few hundred patches/s under load.
    const timeoutMs = 60_000 + patches * 10;
    for (let round = 0; round < rounds; round++) {
      log(`pipeline: round ${round + 1}/${rounds}`);
      for (const id of ids) {
        const slot = results.get(id)!;
        try {
          const run = await runRowInChild(script, id, patches, round + 1, timeoutMs);
          slot.runs.push(run);
          log(describe(id, run));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          slot.failures.push(message);
          log(`  ${id}: FAILED ${message}`);
        }
      }
    }
    log(
      `pipeline: done; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const all: RowRuns[] = ids.map((id) => ({
      id,
      definition: PIPELINE_ROWS.get(id)!,
      ...results.get(id)!,
    }));
    return pipelineTable(all, cores);
  },
};
