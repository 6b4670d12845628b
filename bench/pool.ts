/**
 * `pool`: the job executor against raw tinypool, same workers, same work, same run.
 *
 * Two workloads: tiny jobs (`n + 1`: pure per-job overhead, jobs/s) and jobs returning a fresh
 * 1 MiB `Uint8Array` (MB/s). Raw tinypool runs the way a user would write it (`Promise.all` over
 * `pool.run`), once returning the array as is (structured clone copies it) and once with
 * `Tinypool.move` (zero-copy: the baseline, since the executor moves result buffers on its own).
 * The executor runs through `run` (`Promise.all`: callers wait for room), `runAll` and `map`
 * (bounded read-ahead).
 *
 * Every implementation checks each result as it arrives and keeps only a count (but `runAll`,
 * which returns them all by contract): a round does not hold 1 GiB of results, so what is timed
 * is the pool and the transfer more than the collector working through what a round kept alive.
 *
 * The executor measured is the compiled one (what `dist/` ships): the scenario first compiles
 * `src/pool` with tsc into a git-ignored folder. Run from its TypeScript sources, each worker also
 * carries tsx's module hooks, which slow message passing itself; one row shows that case.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import Tinypool from 'tinypool';
import { JobExecutor as SourceJobExecutor } from '../src/pool/index.js';
import { compilePool } from '../scripts/compile-pool.js';
import type { BenchOptions, BenchRow, BenchScenario } from './harness.js';

const WORKERS = 2;
const MIB = 1 << 20;

/** The work, as a plain JavaScript module both pools load. */
const WORK = `
import { Tinypool } from ${JSON.stringify(import.meta.resolve('tinypool'))};
export function tiny(n) { return n + 1; }
export function mib(n) { const a = new Uint8Array(${MIB}); a[0] = n & 255; return a; }
export function mibMoved(n) { return Tinypool.move(mib(n)); }
`;
const WORK_URL = `data:text/javascript,${encodeURIComponent(WORK)}`;

type ExecutorClass = typeof SourceJobExecutor;

/** Compiles `src/pool` (and what it imports) to JavaScript; resolves with its `JobExecutor`. */
async function compiledJobExecutor(): Promise<ExecutorClass> {
  // Inside the repository, so that packages resolve from its node_modules.
  const outDir = fileURLToPath(new URL('../.cache/bench-pool-dist/', import.meta.url));
  await compilePool(outDir);
  const url = pathToFileURL(`${outDir}pool/index.js`).href;
  const compiled = (await import(url)) as { JobExecutor: ExecutorClass };
  return compiled.JobExecutor;
}

interface Measure {
  readonly name: string;
  /** Marks the raw tinypool run the others are compared with. */
  readonly baseline?: boolean;
  /** Runs every input; resolves with how many results were right. */
  readonly run: (inputs: readonly number[]) => Promise<number>;
}

interface Workload {
  readonly workload: string;
  readonly jobs: number;
  readonly bytes: number;
  readonly measures: readonly Measure[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Runs every implementation once per round, in rotating order, so that a change of load on the
 * machine hits all of them alike; overhead is the median over rounds of the ratio to the baseline
 * of the same round.
 */
async function measureWorkload(w: Workload, rounds: number): Promise<BenchRow[]> {
  const inputs = Array.from({ length: w.jobs }, (_, i) => i);
  for (const m of w.measures) await m.run(inputs.slice(0, Math.min(w.jobs, 200))); // warm-up
  const times = w.measures.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < w.measures.length; k++) {
      const i = (k + round) % w.measures.length;
      const t0 = performance.now();
      const right = await w.measures[i]!.run(inputs);
      times[i]!.push(performance.now() - t0);
      if (right !== w.jobs) {
        throw new Error(`${w.measures[i]!.name}: ${right} right results of ${w.jobs}`);
      }
    }
  }
  const base = w.measures.findIndex((m) => m.baseline === true);
  return w.measures.map((m, i) => {
    const ms = median(times[i]!);
    const perSecond = (w.jobs / ms) * 1000;
    const ratios = times[i]!.map((t, r) => t / times[base]![r]! - 1);
    return {
      workload: w.workload,
      implementation: m.name,
      jobs: w.jobs,
      'median ms': ms,
      'best ms': Math.min(...times[i]!),
      'jobs/s': perSecond,
      'MB/s': w.bytes === 0 ? '' : (perSecond * w.bytes) / 1e6,
      'overhead vs tinypool': m.name.startsWith('tinypool')
        ? ''
        : `${(median(ratios) * 100).toFixed(1)}%`,
    };
  });
}

async function runPool(options: BenchOptions): Promise<readonly BenchRow[]> {
  const tinyJobs = options.quick ? 2_000 : 20_000;
  const mibJobs = options.quick ? 200 : 2_000;
  const rounds = options.quick ? 5 : 15;

  const JobExecutor = await compiledJobExecutor();
  // Tinypool loads its `name` export when a worker starts: it must exist in the module.
  const raw = new Tinypool({
    filename: WORK_URL,
    name: 'tiny',
    minThreads: WORKERS,
    maxThreads: WORKERS,
  });
  const tiny = new JobExecutor<number, number>({
    module: WORK_URL,
    name: 'tiny',
    workers: WORKERS,
  });
  const mib = new JobExecutor<number, Uint8Array>({
    module: WORK_URL,
    name: 'mib',
    workers: WORKERS,
  });
  const mibFromSource = new SourceJobExecutor<number, Uint8Array>({
    module: WORK_URL,
    name: 'mib',
    workers: WORKERS,
  });
  /** 1 when `result` is what job `n` returns (`n + 1`, or 1 MiB starting with `n & 255`). */
  const right = (n: number, result: unknown): number =>
    result === n + 1 ||
    (result instanceof Uint8Array && result.length === MIB && result[0] === (n & 255))
      ? 1
      : 0;
  const sum = (counts: readonly number[]): number => counts.reduce((a, b) => a + b, 0);
  /** Every input through `run`, all submitted at once; results checked and dropped on arrival. */
  const all =
    (run: (n: number) => Promise<unknown>) =>
    async (inputs: readonly number[]): Promise<number> =>
      sum(await Promise.all(inputs.map((n) => run(n).then((r) => right(n, r)))));
  const rawRun = (name: string) => all((n) => raw.run(n, { name }) as Promise<unknown>);
  /** A map over the inputs, in order: counts the right results. */
  const drain = async (iterable: AsyncIterable<unknown>): Promise<number> => {
    let n = 0;
    let count = 0;
    for await (const item of iterable) count += right(n++, item);
    return count;
  };

  const workloads: Workload[] = [
    {
      workload: 'tiny jobs',
      jobs: tinyJobs,
      bytes: 0,
      measures: [
        { name: 'tinypool (Promise.all)', baseline: true, run: rawRun('tiny') },
        { name: 'JobExecutor.run (Promise.all)', run: all((n) => tiny.run(n)) },
        {
          name: 'JobExecutor.runAll',
          run: async (inputs) => sum((await tiny.runAll(inputs)).map((r, n) => right(n, r))),
        },
        { name: 'JobExecutor.map (for await)', run: (inputs) => drain(tiny.map(inputs)) },
      ],
    },
    {
      workload: '1 MiB results',
      jobs: mibJobs,
      bytes: MIB,
      measures: [
        { name: 'tinypool, cloned (Promise.all)', run: rawRun('mib') },
        { name: 'tinypool, Tinypool.move (Promise.all)', baseline: true, run: rawRun('mibMoved') },
        { name: 'JobExecutor.run (Promise.all)', run: all((n) => mib.run(n)) },
        {
          name: 'JobExecutor.runAll',
          run: async (inputs) => sum((await mib.runAll(inputs)).map((r, n) => right(n, r))),
        },
        { name: 'JobExecutor.map (for await)', run: (inputs) => drain(mib.map(inputs)) },
        {
          name: 'JobExecutor.run from source (tsx workers)',
          run: all((n) => mibFromSource.run(n)),
        },
      ],
    },
  ];
  const rows: BenchRow[] = [];
  try {
    for (const w of workloads) rows.push(...(await measureWorkload(w, rounds)));
  } finally {
    await Promise.all([raw.destroy(), tiny.close(), mib.close(), mibFromSource.close()]);
  }
  return rows;
}

export const poolScenario: BenchScenario = {
  name: 'pool',
  title: `Job executor vs raw tinypool (${WORKERS} workers, compiled executor)`,
  run: runPool,
};
