/**
 * Measures one implementation of one `pool` workload in this (fresh) process (one untimed run, then timed runs) and prints the
 * durations and CPU times of its timed runs as one JSON line prefixed by `POOL_RESULT `:
 *
 * ```sh
 * node <compiled>/bench/pool-child.js <workload> <implementation> --jobs 2000 --runs 3 \
 *   --executor <compiled>/src/pool/index.js
 * ```
 *
 * (or `node --import tsx bench/pool-child.ts …` for the rows that run the executor from source).
 *
 * A process per measurement: the main thread's heap, and the collections that the received
 * buffers cause, are not shared with the implementation measured before it. Prints with
 * {@link POOL_RESULT_PREFIX}.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  POOL_RESULT_PREFIX,
  POOL_WORKLOADS,
  type ExecutorClass,
  type PoolChildResult,
} from './pool-implementations.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      jobs: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '3' },
      executor: { type: 'string' },
    },
    allowPositionals: true,
  });
  const workload = POOL_WORKLOADS.find((w) => w.id === positionals[0]);
  const implementation = workload?.implementations.find((i) => i.id === positionals[1]);
  const jobs = Number(values.jobs);
  const runs = Number(values.runs);
  if (implementation === undefined || !(jobs >= 1) || !(runs >= 1)) {
    throw new Error(`Usage: pool-child.ts <workload> <implementation> --jobs N --runs N`);
  }
  // Imported for every row, raw tinypool's too: each process then has the same modules in its heap.
  const Executor =
    implementation.fromSource === true || values.executor === undefined
      ? (await import('../src/pool/index.js')).JobExecutor
      : ((await import(pathToFileURL(values.executor).href)) as { JobExecutor: ExecutorClass })
          .JobExecutor;
  const runner = implementation.create(Executor);
  try {
    const inputs = Array.from({ length: jobs }, (_, i) => i);
    await runner.run(inputs); // warm-up: workers started, code compiled by the JIT
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const right = await runner.run(inputs);
      times.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      if (right !== jobs) throw new Error(`${implementation.name}: ${right} right of ${jobs}`);
    }
    const result: PoolChildResult = { times, cpu };
    process.stdout.write(`${POOL_RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await runner.close();
  }
}

await main();
