/**
 * Per-item overhead of the backpressure operators, side by side in one run with a plain
 * `for await` loop and with plain RxJS (`from()`, `mergeMap`). Every pipeline moves the same
 * integers through no-op work, so the figures are the machinery's cost per item.
 */
import { from, mergeMap, type Observable } from 'rxjs';
import { batch } from '../src/operators/batch.js';
import { boundedQueue } from '../src/operators/bounded-queue.js';
import { fromAsyncIterable } from '../src/operators/from-async-iterable.js';
import { mapInPool } from '../src/operators/map-in-pool.js';
import { roundRobinMerge } from '../src/operators/round-robin-merge.js';
import { toAsyncIterable } from '../src/operators/to-async-iterable.js';
import type { JobRunner } from '../src/pool/job-runner.js';
import { medianMs, type BenchRow, type BenchScenario } from './harness.js';

async function* integers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** In-process runner: the job is an already-settled promise, so only the machinery is timed. */
const inline: JobRunner<number, number> = { run: (x) => Promise.resolve(x) };

interface Case {
  readonly name: string;
  /** Runs the pipeline over `n` items and returns how many came out (checked). */
  readonly run: (n: number) => Promise<number>;
}

/** Subscribes with a plain observer; resolves with the items seen (`weight` per value). */
async function countObservable(
  source: Observable<unknown>,
  weight = (_: unknown) => 1,
): Promise<number> {
  let count = 0;
  await new Promise<void>((resolve, reject) =>
    source.subscribe({ next: (v) => (count += weight(v)), error: reject, complete: resolve }),
  );
  return count;
}

const batchWeight = (b: unknown): number => (b as unknown[]).length;

const cases: readonly Case[] = [
  {
    name: 'for await (baseline)',
    run: async (n) => {
      let count = 0;
      for await (const _ of integers(n)) count += 1;
      return count;
    },
  },
  { name: 'rxjs from()', run: (n) => countObservable(from(integers(n))) },
  {
    name: 'rxjs from() + mergeMap(async, 2)',
    run: (n) => countObservable(from(integers(n)).pipe(mergeMap((x) => inline.run(x), 2))),
  },
  { name: 'fromAsyncIterable', run: (n) => countObservable(fromAsyncIterable(integers(n))) },
  {
    name: 'fromAsyncIterable → toAsyncIterable (for await, hwm 16)',
    run: async (n) => {
      let count = 0;
      for await (const _ of toAsyncIterable(fromAsyncIterable(integers(n)))) count += 1;
      return count;
    },
  },
  {
    name: '+ boundedQueue(64)',
    run: (n) => countObservable(fromAsyncIterable(integers(n)).pipe(boundedQueue(64))),
  },
  {
    name: '+ mapInPool(concurrency 2)',
    run: (n) =>
      countObservable(fromAsyncIterable(integers(n)).pipe(mapInPool(inline, { concurrency: 2 }))),
  },
  {
    name: '+ mapInPool(concurrency 2, unordered)',
    run: (n) =>
      countObservable(
        fromAsyncIterable(integers(n)).pipe(mapInPool(inline, { concurrency: 2, ordered: false })),
      ),
  },
  {
    name: '+ batch(32)',
    run: (n) => countObservable(fromAsyncIterable(integers(n)).pipe(batch(32)), batchWeight),
  },
  {
    name: 'roundRobinMerge of 4 sources',
    run: (n) =>
      countObservable(
        roundRobinMerge(
          [0, 1, 2, 3].map((k) => [k, fromAsyncIterable(integers(n / 4))] as const),
          { capacity: 16 },
        ),
      ),
  },
  {
    name: 'queue → mapInPool → batch → for await',
    run: async (n) => {
      let count = 0;
      const pipeline = fromAsyncIterable(integers(n)).pipe(
        boundedQueue(64),
        mapInPool(inline, { concurrency: 2 }),
        batch(32),
      );
      for await (const b of toAsyncIterable(pipeline, { highWaterMark: 4 })) count += b.length;
      return count;
    },
  },
];

export const operatorsScenario: BenchScenario = {
  name: 'operators',
  title: 'Backpressure operators: per-item cost (no-op work, in-process)',
  async run({ quick }) {
    const n = quick ? 20_000 : 200_000;
    const reps = quick ? 3 : 7;
    const rows: BenchRow[] = [];
    let baseline = 0;
    for (const c of cases) {
      const got = await c.run(n);
      if (got !== n) throw new Error(`${c.name}: ${got} items out of ${n}`);
      const ms = await medianMs(() => c.run(n), reps);
      const nsPerItem = (ms * 1e6) / n;
      if (baseline === 0) baseline = nsPerItem;
      rows.push({
        pipeline: c.name,
        items: n,
        'ns/item': nsPerItem,
        'items/s': Math.round(n / (ms / 1000)),
        'overhead ns/item': nsPerItem - baseline,
        'vs for await': `${(nsPerItem / baseline).toFixed(2)}×`,
      });
    }
    return rows;
  },
};
