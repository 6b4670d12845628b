/**
 * `pool`: the job executor against raw tinypool, same workers, same work, same run.
 *
 * Two workloads (`pool-implementations.ts`): tiny jobs (`n + 1`: pure per-job overhead, jobs/s)
 * and jobs returning a fresh 1 MiB `Uint8Array` (MB/s). Raw tinypool runs the way a user would
 * write it (`Promise.all` over `pool.run`), once returning the array as is (structured clone
 * copies it) and once with `Tinypool.move` (zero-copy: the baseline, since the executor moves
 * result buffers on its own). The executor runs through `run` (`Promise.all`: callers wait for
 * room), `runAll` and `map` (bounded read-ahead). `runAll` returns every result by contract, so
 * it is compared with raw tinypool keeping every result (`tinypool-kept`); `map` streams results
 * in order with bounded read-ahead, so it is compared with raw tinypool streamed the same way (an
 * async generator over a window of as many tasks as the map reads ahead, `tinypool-stream`);
 * `run` with the baseline, which checks each result and drops it. The `vs baseline` column gives
 * every row against the baseline as well.
 *
 * Each measurement runs in a process of its own (`pool-child.ts`: warm-up, then timed runs; the
 * median counts), as a user's program would: in one shared process, the collections caused by
 * one implementation's gigabytes of received buffers land on whichever implementation runs next,
 * and every pool's idle workers sit in the same process. Rounds run every implementation once,
 * in rotating order, so that a change of load on the machine hits all of them alike; overhead is
 * the median over rounds of the ratio to the baseline of the same round, for wall time and for the
 * CPU time of the whole process (every thread: workers, the main thread, V8's helpers).
 *
 * Everything runs compiled (what `dist/` ships): the scenario first compiles the child script and
 * `src/pool` with tsc into a git-ignored folder, and children run as plain JavaScript, without
 * tsx in any thread. Run from its TypeScript sources, each worker carries tsx's module hooks,
 * which slow message passing itself; one row shows that case.
 *
 * Every child imports the executor, the raw tinypool rows too: with 1 MiB results V8 runs a full
 * collection every few dozen jobs and marks the whole main-thread heap each time, so the heap's
 * size moves every figure (importing the executor without using it slowed streamed raw tinypool
 * by about 8% in a throwaway script), and all rows carry the same modules.
 */
import { fileURLToPath } from 'node:url';
import { compileSources } from '../scripts/compile-sources.js';
import { runInChild } from './child.js';
import type { BenchOptions, BenchRow, BenchScenario } from './harness.js';
import {
  POOL_RESULT_PREFIX,
  POOL_WORKLOADS,
  WORKERS,
  type PoolChildResult,
  type Workload,
} from './pool-implementations.js';

/** The child from its TypeScript sources (with tsx), for the rows that measure that case. */
const SOURCE_CHILD_SCRIPT = fileURLToPath(new URL('./pool-child.ts', import.meta.url));
/** Timed runs per child process; the child's figure is their median. */
const RUNS_PER_CHILD = 3;
const CHILD_TIMEOUT_MS = 120_000;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function measureWorkload(
  w: Workload,
  jobs: number,
  rounds: number,
  compiled: CompiledChild,
): Promise<BenchRow[]> {
  const times = w.implementations.map((): number[] => []);
  const cpu = w.implementations.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < w.implementations.length; k++) {
      const i = (k + round) % w.implementations.length;
      const impl = w.implementations[i]!;
      const { result } = await runInChild<PoolChildResult>(
        `${w.name} / ${impl.name}`,
        impl.fromSource === true ? SOURCE_CHILD_SCRIPT : compiled.script,
        [
          w.id,
          impl.id,
          '--jobs',
          String(jobs),
          '--runs',
          String(RUNS_PER_CHILD),
          '--executor',
          compiled.executor,
        ],
        POOL_RESULT_PREFIX,
        CHILD_TIMEOUT_MS,
      );
      times[i]!.push(median(result.times));
      cpu[i]!.push(median(result.cpu));
    }
  }
  const baseline = w.implementations.findIndex((m) => m.baseline === true);
  return w.implementations.map((m, i) => {
    const ms = median(times[i]!);
    const perSecond = (jobs / ms) * 1000;
    const against =
      m.comparedWith === undefined
        ? baseline
        : w.implementations.findIndex((other) => other.id === m.comparedWith);
    const ratios = times[i]!.map((t, r) => t / times[against]![r]! - 1);
    const cpuRatios = cpu[i]!.map((c, r) => c / cpu[against]![r]! - 1);
    const baselineRatios = times[i]!.map((t, r) => t / times[baseline]![r]! - 1);
    return {
      workload: w.name,
      implementation: m.name,
      jobs,
      'median ms': ms,
      'best ms': Math.min(...times[i]!),
      'jobs/s': perSecond,
      'MB/s': w.bytes === 0 ? '' : (perSecond * w.bytes) / 1e6,
      'overhead vs tinypool': m.id.startsWith('tinypool')
        ? ''
        : `${(median(ratios) * 100).toFixed(1)}%`,
      'CPU µs/job': (median(cpu[i]!) / jobs) * 1000,
      'CPU overhead': m.id.startsWith('tinypool') ? '' : `${(median(cpuRatios) * 100).toFixed(1)}%`,
      'compared with': m.id.startsWith('tinypool') ? '' : w.implementations[against]!.id,
      // Every row against the Promise.all baseline too: what the style itself costs.
      'vs baseline': i === baseline ? '' : `${(median(baselineRatios) * 100).toFixed(1)}%`,
      'overhead per round': m.id.startsWith('tinypool')
        ? ''
        : ratios.map((r) => `${(r * 100).toFixed(0)}`).join(' '),
    };
  });
}

/** The child script and the executor, compiled. */
interface CompiledChild {
  readonly script: string;
  readonly executor: string;
}

/**
 * Compiles the child script and the executor with tsc into a git-ignored folder inside the
 * repository (so that packages resolve from its node_modules): children then run as plain
 * JavaScript, the way a user runs the package, without tsx's module hooks in any thread.
 */
async function compileChild(): Promise<CompiledChild> {
  const outDir = fileURLToPath(new URL('../.cache/bench-pool-dist/', import.meta.url));
  await compileSources({
    outDir,
    rootDir: '',
    files: ['bench/pool-child.ts', 'src/pool/index.ts', 'src/pool/worker-entry.ts'],
  });
  return { script: `${outDir}bench/pool-child.js`, executor: `${outDir}src/pool/index.js` };
}

async function runPool(options: BenchOptions): Promise<readonly BenchRow[]> {
  const rounds = options.quick ? 3 : 9;
  const compiled = await compileChild();
  const rows: BenchRow[] = [];
  for (const w of POOL_WORKLOADS) {
    const jobs = options.quick ? w.jobs.quick : w.jobs.full;
    rows.push(...(await measureWorkload(w, jobs, rounds, compiled)));
  }
  return rows;
}

export const poolScenario: BenchScenario = {
  name: 'pool',
  title: `Job executor vs raw tinypool (${WORKERS} workers, compiled, a process per measurement)`,
  run: runPool,
};
