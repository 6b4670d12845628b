/**
 * The `pool` benchmark's workloads and the implementations it compares: raw tinypool, the way a
 * user writes it (`Promise.all` over `pool.run`), and the job executor through `run`, `runAll`
 * and `map`. Every implementation checks each result as it arrives and keeps only a count (but
 * `runAll`, which returns them all by contract): a run does not hold 1 GiB of results, so what is
 * timed is the pool and the transfer more than the collector working through what it kept alive.
 */
import Tinypool from 'tinypool';
import type { JobExecutor } from '../src/pool/index.js';

/** Prefix of the line that carries a child's result. */
export const POOL_RESULT_PREFIX = 'POOL_RESULT ';

/** What a child prints. */
export interface PoolChildResult {
  /** Duration of each timed run, ms. */
  readonly times: readonly number[];
  /** CPU time of the whole process (every thread, user + system) in each timed run, ms. */
  readonly cpu: readonly number[];
}

/** Worker threads of every pool. */
export const WORKERS = 2;
/**
 * Items an ordered `map()` reads ahead with default options: `2 × (workers + maxQueue)`, where
 * `maxQueue` defaults to `workers`. The streaming baseline keeps as many tasks in flight.
 */
const MAP_READ_AHEAD = 2 * (WORKERS + WORKERS);
const MIB = 1 << 20;

/** The work, as a plain JavaScript module both pools load. */
const WORK = `
import { Tinypool } from ${JSON.stringify(import.meta.resolve('tinypool'))};
export function tiny(n) { return n + 1; }
export function mib(n) { const a = new Uint8Array(${MIB}); a[0] = n & 255; return a; }
export function mibMoved(n) { return Tinypool.move(mib(n)); }
`;
const WORK_URL = `data:text/javascript,${encodeURIComponent(WORK)}`;

/** The executor class a run measures: compiled (what `dist/` ships) or from source. */
export type ExecutorClass = typeof JobExecutor;

/** One implementation, ready to run. */
export interface Runner {
  /** Runs every input; resolves with how many results were right. */
  run(inputs: readonly number[]): Promise<number>;
  close(): Promise<void>;
}

/** An implementation of a workload. */
export interface Implementation {
  readonly id: string;
  readonly name: string;
  /** Marks the raw tinypool run the others are compared with. */
  readonly baseline?: boolean;
  /** Compared with this implementation instead of the baseline. */
  readonly comparedWith?: string;
  /** Runs on the executor from its TypeScript sources (workers carry tsx's module hooks). */
  readonly fromSource?: boolean;
  create(executor: ExecutorClass): Runner;
}

/** A workload: what each job does and the implementations compared on it. */
export interface Workload {
  readonly id: string;
  readonly name: string;
  /** Bytes per result (0: report jobs/s only). */
  readonly bytes: number;
  /** Jobs per timed run: full and `--quick`. */
  readonly jobs: { readonly full: number; readonly quick: number };
  readonly implementations: readonly Implementation[];
}

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

/** Every input through `run`, all submitted at once; every result kept, then checked. */
const allKept =
  (run: (n: number) => Promise<unknown>) =>
  async (inputs: readonly number[]): Promise<number> =>
    sum((await Promise.all(inputs.map((n) => run(n)))).map((r, n) => right(n, r)));

/**
 * Every input through `run`, at most `window` in flight, results taken in input order: what a
 * user writes to stream results with bounded memory (an async generator over a window of tasks).
 */
const streamed =
  (run: (n: number) => Promise<unknown>, window: number) =>
  async (inputs: readonly number[]): Promise<number> => {
    async function* results(): AsyncGenerator<unknown> {
      const inFlight: Promise<unknown>[] = [];
      let next = 0;
      while (next < inputs.length || inFlight.length > 0) {
        while (next < inputs.length && inFlight.length < window)
          inFlight.push(run(inputs[next++]!));
        yield await inFlight.shift()!;
      }
    }
    return drain(results());
  };

/** A map over the inputs, in order: counts the right results. */
async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  let count = 0;
  for await (const item of iterable) count += right(n++, item);
  return count;
}

function tinypool(
  id: string,
  name: string,
  exportName: string,
  options: { baseline?: boolean; keep?: boolean; stream?: boolean } = {},
): Implementation {
  return {
    id,
    name,
    baseline: options.baseline ?? false,
    create() {
      // Tinypool loads its `name` export when a worker starts: it must exist in the module.
      const pool = new Tinypool({
        filename: WORK_URL,
        name: exportName,
        minThreads: WORKERS,
        maxThreads: WORKERS,
      });
      const run = (n: number): Promise<unknown> => pool.run(n) as Promise<unknown>;
      return {
        run:
          options.stream === true
            ? streamed(run, MAP_READ_AHEAD)
            : options.keep === true
              ? allKept(run)
              : all(run),
        close: () => pool.destroy(),
      };
    },
  };
}

type Style = 'run' | 'runAll' | 'map';

function executor(
  exportName: string,
  style: Style,
  options: { fromSource?: boolean } = {},
): Implementation {
  const label = { run: 'run (Promise.all)', runAll: 'runAll', map: 'map (for await)' }[style];
  return {
    id: `executor-${style}${options.fromSource === true ? '-source' : ''}`,
    name: `JobExecutor.${label}${options.fromSource === true ? ' from source (tsx workers)' : ''}`,
    fromSource: options.fromSource ?? false,
    // `runAll` returns every result by contract: compared with raw tinypool keeping them all;
    // `map` streams with bounded read-ahead: compared with raw tinypool streamed the same way.
    ...(style === 'runAll' ? { comparedWith: 'tinypool-kept' } : {}),
    ...(style === 'map' ? { comparedWith: 'tinypool-stream' } : {}),
    create(Executor) {
      const ex = new Executor<number, unknown>({
        module: WORK_URL,
        name: exportName,
        workers: WORKERS,
      });
      const run =
        style === 'run'
          ? all((n) => ex.run(n))
          : style === 'runAll'
            ? async (inputs: readonly number[]) =>
                sum((await ex.runAll(inputs)).map((r, n) => right(n, r)))
            : (inputs: readonly number[]) => drain(ex.map(inputs));
      return { run, close: () => ex.close() };
    },
  };
}

/** The workloads, by id. */
export const POOL_WORKLOADS: readonly Workload[] = [
  {
    id: 'tiny',
    name: 'tiny jobs',
    bytes: 0,
    jobs: { full: 20_000, quick: 2_000 },
    implementations: [
      tinypool('tinypool', 'tinypool (Promise.all)', 'tiny', { baseline: true }),
      tinypool('tinypool-kept', 'tinypool, results kept (Promise.all)', 'tiny', { keep: true }),
      tinypool(
        'tinypool-stream',
        `tinypool, streamed (${MAP_READ_AHEAD} in flight, in order)`,
        'tiny',
        {
          stream: true,
        },
      ),
      executor('tiny', 'run'),
      executor('tiny', 'runAll'),
      executor('tiny', 'map'),
    ],
  },
  {
    id: 'mib',
    name: '1 MiB results',
    bytes: MIB,
    jobs: { full: 2_000, quick: 200 },
    implementations: [
      tinypool('tinypool-cloned', 'tinypool, cloned (Promise.all)', 'mib'),
      tinypool('tinypool', 'tinypool, Tinypool.move (Promise.all)', 'mibMoved', {
        baseline: true,
      }),
      tinypool('tinypool-kept', 'tinypool, Tinypool.move, results kept (Promise.all)', 'mibMoved', {
        keep: true,
      }),
      tinypool(
        'tinypool-stream',
        `tinypool, Tinypool.move, streamed (${MAP_READ_AHEAD} in flight, in order)`,
        'mibMoved',
        { stream: true },
      ),
      executor('mib', 'run'),
      executor('mib', 'runAll'),
      executor('mib', 'map'),
      executor('mib', 'run', { fromSource: true }),
    ],
  },
];
