import { afterEach, describe, expect, it } from 'vitest';
import { JobExecutor } from '../../src/pool/index.js';
import { boundedQueue } from '../../src/operators/bounded-queue.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { mapInPool } from '../../src/operators/map-in-pool.js';
import { toAsyncIterable } from '../../src/operators/to-async-iterable.js';
import type { SquareInput } from '../fixtures/workers/operators-square.worker.js';
import { CountingSource, listeners } from './fakes.js';

const WORKER = new URL('../fixtures/workers/operators-square.worker.ts', import.meta.url);

const executors: JobExecutor<SquareInput, number>[] = [];
function executor(): JobExecutor<SquareInput, number> {
  const ex = new JobExecutor<SquareInput, number>({ module: WORKER, workers: 2, maxQueue: 2 });
  executors.push(ex);
  return ex;
}

afterEach(async () => {
  await Promise.all(executors.splice(0).map((ex) => ex.close({ timeoutMs: 0 })));
});

/** Waits (polling, no timing asserted) until `condition` holds. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 4_000 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(condition()).toBe(true);
}

async function* squares(n: number, ms: number): AsyncGenerator<SquareInput> {
  for (let i = 0; i < n; i++) yield { op: 'square', n: i, ms: i % 3 === 0 ? ms : 0 };
}

describe('mapInPool over the JobExecutor', () => {
  it('delivers every result in source order with at most `concurrency` jobs in the pool', async () => {
    const ex = executor();
    const stage = mapInPool(ex, { concurrency: 2, capacity: 4 });
    let maxRunning = 0;
    const results: number[] = [];
    const pipeline = stage(boundedQueue<SquareInput>(2)(fromAsyncIterable(squares(40, 5))));
    for await (const r of toAsyncIterable(pipeline, { highWaterMark: 2 })) {
      results.push(r);
      const report = ex.report();
      maxRunning = Math.max(maxRunning, report.running + report.queued + report.waiting);
    }
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * i));
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(stage.stats()).toMatchObject({ started: 40, succeeded: 40, delivered: 40, aborted: 0 });
    expect(stage.stats().maxInFlight).toBeLessThanOrEqual(2);
    expect(ex.report()).toMatchObject({ completed: 40, failed: 0, cancelled: 0 });
  });

  it('moves transferred inputs to the worker instead of copying them', async () => {
    const ex = executor();
    const inputs = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    const stage = mapInPool<SquareInput, number>(ex, {
      transfer: (input) => (input.op === 'sum' ? [input.bytes.buffer as ArrayBuffer] : []),
    });
    const sums: number[] = [];
    for await (const s of toAsyncIterable(
      stage(fromAsyncIterable(inputs.map((bytes) => ({ op: 'sum', bytes }) as const))),
    )) {
      sums.push(s);
    }
    expect(sums).toEqual([6, 9]);
    expect(inputs.map((bytes) => bytes.byteLength)).toEqual([0, 0]); // detached: moved
  });

  it('aborts the jobs in flight on teardown, and the pool ends up idle', async () => {
    const ex = executor();
    const controller = new AbortController();
    const source = new CountingSource(Infinity);
    const stage = mapInPool<number, number>(
      { run: (_n, options) => ex.run({ op: 'until-aborted' }, options) },
      { concurrency: 2, signal: controller.signal },
    );
    let error: unknown;
    stage(fromAsyncIterable(source.items())).subscribe({ error: (e: unknown) => (error = e) });
    await eventually(() => ex.report().running === 2);
    expect(source.pulled).toBe(2);
    const reason = new Error('epoch over');
    controller.abort(reason);
    expect(error).toBe(reason);
    expect(stage.stats()).toMatchObject({ aborted: 2, inFlight: 0 });
    await eventually(() => ex.report().running === 0);
    expect(ex.report()).toMatchObject({ cancelled: 2, completed: 0, restarts: 0 });
    expect(listeners(controller.signal)).toBe(0);
    await eventually(() => source.finalized);
  });
});
