/**
 * The LightDL shell against a scripted job runner: jobs settle when the test says so, time is a
 * mocked clock and fake timers, so every interleaving here is exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import {
  CollectorError,
  ImageError,
  LoaderError,
  PatientsExhaustedError,
  WorkerExitedError,
  type LightdlError,
} from '../../src/errors.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import type { JobRunner, JobRunOptions } from '../../src/pool/job-runner.js';
import type { LightDLOptions } from '../../src/scheduler/light-dl-options.js';
import { resolveLightDLOptions } from '../../src/scheduler/resolve-light-dl-options.js';
import type {
  CollectJob,
  CollectResult,
  LoadJob,
  LoadResult,
  TreeJob,
} from '../../src/scheduler/tree-job.js';
import { TreeShell } from '../../src/scheduler/tree-shell.js';
import { datasetOf } from '../fixtures/workers/tree-harness.js';

interface Call {
  readonly job: TreeJob;
  readonly signal: AbortSignal | undefined;
  resolve(result: LoadResult | CollectResult): void;
  reject(error: unknown): void;
}

/** Records every job; the test settles them. */
class ScriptedRunner implements JobRunner<TreeJob, LoadResult | CollectResult> {
  readonly calls: Call[] = [];
  run(job: TreeJob, options?: JobRunOptions): Promise<LoadResult | CollectResult> {
    return new Promise((resolve, reject) =>
      this.calls.push({ job, signal: options?.signal, resolve, reject }),
    );
  }
  /** The oldest unsettled job of this kind (and patient), removed from the list. */
  take(kind: 'load', patient?: string): Call & { job: LoadJob };
  take(kind: 'collect', patient?: string): Call & { job: CollectJob };
  take(kind: TreeJob['kind'], patient?: string): Call {
    const i = this.calls.findIndex(
      (c) => c.job.kind === kind && (patient === undefined || c.job.patient.id === patient),
    );
    if (i < 0) throw new Error(`No ${kind} job${patient === undefined ? '' : ` for ${patient}`}`);
    return this.calls.splice(i, 1)[0]!;
  }
}

let clock = 0;
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function setup(
  options: Partial<LightDLOptions> = {},
  patients = ['a', 'b'],
  onDeliver: (chunk: SmallChunk) => void = () => {},
) {
  const filled = resolveLightDLOptions({
    dataset: datasetOf(patients.map((id) => ({ id, path: `/slides/${id}.tif` }))),
    bigChunkLoader: randomRegion({ width: 64, height: 64 }),
    smallChunkCollector: randomPatches({ width: 8, height: 8 }),
    numBigChunkLoaders: 1,
    maxLengthQueueSmallChunk: 4,
    maxLengthQueueLightDL: 4,
    rescheduleIntervalMs: 100,
    policy: 'round-robin',
    workers: 2,
    ...options,
  });
  const runner = new ScriptedRunner();
  const delivered: SmallChunk[] = [];
  const reported: LightdlError[] = [];
  const ended: unknown[] = [];
  const shell = new TreeShell(filled, runner, {
    deliver: (c) => {
      onDeliver(c);
      delivered.push(c);
    },
    report: (e) => reported.push(e),
    loaded: () => {},
    end: (e) => ended.push(e),
  });
  return { shell, runner, delivered, reported, ended };
}

function loaded(
  job: LoadJob,
  memory: { allocated?: boolean; reused?: boolean } = {},
): LoadResult & { ok: true } {
  const region = { level: 0, x: 100, y: 200, width: 64, height: 64 };
  return {
    ok: true,
    big: {
      pixels: new SharedArrayBuffer(64 * 64 * 3),
      width: 64,
      height: 64,
      channels: 3,
      info: {
        patient: job.patient.id,
        tenure: job.tenure,
        index: job.index,
        region,
        record: 'wsi',
      },
    },
    ms: 1,
    allocated: memory.allocated ?? false,
    reused: memory.reused ?? false,
  };
}

/** Starts the shell with `demand` pulled, loads the first big chunk, and returns its collect job. */
async function firstCollect(
  shell: TreeShell,
  runner: ScriptedRunner,
  demand: number,
): Promise<Call & { job: CollectJob }> {
  shell.start();
  shell.demand(demand);
  const load = runner.take('load');
  load.resolve(loaded(load.job));
  await settle();
  return runner.take('collect');
}

function collected(
  job: CollectJob,
  count: number,
  extra: Partial<CollectResult> = {},
): CollectResult {
  const chunks: SmallChunk[] = Array.from({ length: count }, (_, i) => ({
    data: new Uint8Array(8 * 8 * 3),
    width: 8,
    height: 8,
    channels: 3,
    info: {
      patient: job.patient.id,
      level: 0,
      x: i,
      y: 0,
      width: 8,
      height: 8,
      parent: job.big.info,
      callCount: job.startCall + i,
    },
  }));
  return {
    chunks,
    nextCall: job.startCall + count,
    finished: false,
    checkpoint: undefined,
    status: undefined,
    failure: undefined,
    ms: 1,
    ...extra,
  };
}

describe('TreeShell', () => {
  it('keeps event times non-decreasing when the swap timer fires before its time on the clock', async () => {
    const { shell, runner } = setup();
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    const collect = runner.take('collect', 'a');
    collect.resolve(collected(collect.job, 2));
    await settle();
    // Timers run on a millisecond loop clock that may lag the monotonic clock: the swap due at
    // 100 ms fires while performance.now() still says 99.5.
    clock = 99.5;
    vi.advanceTimersByTime(100);
    clock = 99.6;
    expect(() => shell.message('a', 'hello')).not.toThrow();
    expect(shell.state.counters.swaps).toBe(1);
  });

  it('hands the collector the credit granted, one job per slot, and delivers what it produced', async () => {
    const { shell, runner, delivered } = setup();
    const collect = await firstCollect(shell, runner, 3);
    expect(collect.job.budget).toBe(4);
    expect(runner.calls.filter((c) => c.job.kind === 'collect')).toHaveLength(0);
    collect.resolve(collected(collect.job, 4));
    await settle();
    expect(delivered.map((c) => c.info.x)).toEqual([0, 1, 2]);
    expect(shell.buffered).toBe(1);
    const next = runner.take('collect');
    expect(next.job.startCall).toBe(4);
  });

  it('does not count a big chunk written into reused memory as shared memory to reclaim', async () => {
    const { shell, runner } = setup();
    shell.start();
    const load = runner.take('load');
    const result = loaded(load.job, { allocated: true, reused: true });
    const pixels = new SharedArrayBuffer(128 * 1024 * 1024);
    load.resolve({ ...result, big: { ...result.big, pixels } });
    await settle();
    expect(shell.reclaimHints).toBe(0);
    shell.close();
  });

  it('counts big chunks and fresh blocks as shared memory to reclaim, not blocks it handed out again', async () => {
    // Each of these is the shell's whole budget (128 MiB, never touched): one alone calls for a hint.
    const budget = 128 * 1024 * 1024;
    const { shell, runner, delivered } = setup();
    shell.start();
    shell.demand(4);
    const load = runner.take('load');
    const result = loaded(load.job);
    load.resolve({ ...result, big: { ...result.big, pixels: new SharedArrayBuffer(budget) } });
    await settle();
    expect(shell.reclaimHints).toBe(1);
    const first = runner.take('collect');
    expect(first.job.arenas).toEqual([]);
    const block = new SharedArrayBuffer(budget);
    // As from a worker: a block crosses the thread boundary as a new object over the same memory.
    const inBlock = (job: CollectJob, at: SharedArrayBuffer, freshBytes: number): CollectResult => {
      const r = collected(job, 4);
      const chunks = r.chunks.map((c, i) => ({ ...c, data: new Uint8Array(at, i * 192, 192) }));
      return { ...r, chunks, arenas: [at], freshBytes };
    };
    first.resolve(inBlock(first.job, block, budget));
    await settle();
    expect(shell.reclaimHints).toBe(2);
    expect(delivered).toHaveLength(4);
    // The next job started as the chunks came in, before they were copied out: no block to reuse.
    const before = runner.take('collect');
    expect(before.job.arenas).toEqual([]);
    shell.recycle(delivered);
    before.resolve(collected(before.job, 0));
    await settle();
    const again = runner.take('collect');
    expect(again.job.arenas).toEqual([block]);
    const back = structuredClone(block);
    expect(back).not.toBe(block);
    again.resolve(inBlock(again.job, back, 0));
    await settle();
    expect(shell.reclaimHints).toBe(2);
    shell.close();
  });

  it("sends a slot's next job to a worker before handing the consumer what the last job cut", async () => {
    // The consumer's side (collating a batch) must not hold up the workers.
    const loadsAtDelivery: number[] = [];
    const { shell, runner, delivered } = setup({}, ['a', 'b'], () =>
      loadsAtDelivery.push(runner.calls.filter((c) => c.job.kind === 'load').length),
    );
    const collect = await firstCollect(shell, runner, 4);
    collect.resolve(collected(collect.job, 4, { finished: true }));
    await settle();
    expect(delivered.map((c) => c.info.x)).toEqual([0, 1, 2, 3]);
    expect(loadsAtDelivery).toEqual([1, 1, 1, 1]);
    shell.close();
  });

  it('takes back the blocks a collect job was given and did not use', async () => {
    const { shell, runner, delivered } = setup();
    const first = await firstCollect(shell, runner, 4);
    const block = new SharedArrayBuffer(4 * 192);
    const r = collected(first.job, 4);
    first.resolve({
      ...r,
      chunks: r.chunks.map((c, i) => ({ ...c, data: new Uint8Array(block, i * 192, 192) })),
      arenas: [block],
      freshBytes: block.byteLength,
    });
    await settle();
    const second = runner.take('collect');
    shell.recycle(delivered);
    second.resolve(collected(second.job, 0));
    await settle();
    const third = runner.take('collect');
    expect(third.job.arenas?.[0]).toBe(block);
    // The worker cut nothing into it and hands it back (as a new object over the same memory).
    const back = structuredClone(block);
    third.resolve({ ...collected(third.job, 0), spareArenas: [back] });
    await settle();
    expect(runner.take('collect').job.arenas?.[0]).toBe(back);
    shell.close();
  });

  it('reports a loader failure as a LoaderError naming patient, record, path, region and attempt', async () => {
    const { shell, runner, reported } = setup({ failure: { backoffMs: 10 } });
    shell.start();
    const load = runner.take('load', 'a');
    const region = { level: 0, x: 1, y: 2, width: 3, height: 4 };
    load.resolve({
      ok: false,
      failure: {
        message: 'Cannot decode tile 3',
        code: 'ERR_IMAGE_DECODE',
        name: 'ImageError',
        stack: undefined,
        record: 'wsi',
        path: '/slides/a.tif',
        region,
      },
    });
    await settle();
    expect(reported).toHaveLength(1);
    const e = reported[0]!;
    expect(e).toBeInstanceOf(LoaderError);
    expect(e.context).toEqual({
      patient: 'a',
      attempt: 1,
      record: 'wsi',
      path: '/slides/a.tif',
      region,
    });
    // A reader's failure is an ImageError again on this side of the thread boundary.
    expect(e.cause).toBeInstanceOf(ImageError);
    expect((e.cause as ImageError).code).toBe('ERR_IMAGE_DECODE');
    expect((e.cause as ImageError).context).toEqual({ path: '/slides/a.tif', region });
    expect(e.message).toContain('Cannot decode tile 3');
    // The slot went to the other patient at once.
    expect(runner.take('load').job.patient.id).toBe('b');
  });

  it('reports a collector whose worker exited as a CollectorError with the worker context', async () => {
    const { shell, runner, reported } = setup({ failure: { backoffMs: 10 } });
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    runner
      .take('collect', 'a')
      .reject(new WorkerExitedError('Worker exited with code 3', { worker: 1, job: 7 }, 3));
    await settle();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(CollectorError);
    expect(reported[0]!.context).toMatchObject({ patient: 'a', worker: 1, job: 7, attempt: 1 });
    expect(reported[0]!.cause).toBeInstanceOf(WorkerExitedError);
    expect(shell.state.counters.collectorsFailed).toBe(1);
  });

  it("hands a finished big chunk's memory to a later load only when its loader allocated it", async () => {
    const { shell, runner } = setup();
    shell.start();
    shell.demand(16);
    /** Loads big chunk `index`, returns its result, and has the collector finish with it. */
    const loadAndFinish = async (memory: { allocated?: boolean; reused?: boolean }) => {
      const load = runner.take('load');
      const result = loaded(load.job, memory);
      load.resolve(result);
      await settle();
      const collect = runner.take('collect');
      collect.resolve(collected(collect.job, 2, { finished: true }));
      await settle();
      return { job: load.job, result };
    };
    const first = await loadAndFinish({ allocated: true });
    expect(first.job.reuse).toBeUndefined();
    // The loader allocated the first big chunk's memory: the next load may have it.
    const second = await loadAndFinish({ allocated: false, reused: false });
    expect(second.job.reuse).toBe(first.result.big.pixels);
    // Not used (and the second big chunk's memory is the loader's own): given to the next load.
    const third = await loadAndFinish({ allocated: false, reused: true });
    expect(third.job.reuse).toBe(first.result.big.pixels);
    // Used, and the loader returned other memory of its own: nothing is left to reuse.
    const fourth = runner.take('load');
    expect(fourth.job.reuse).toBeUndefined();
    expect(shell.bigChunksReused).toBe(1);
  });

  it('drops the memory given to a load that failed (it may still be written into)', async () => {
    const { shell, runner } = setup({ failure: { backoffMs: 0 } });
    shell.start();
    shell.demand(16);
    const load = runner.take('load');
    const result = loaded(load.job, { allocated: true });
    load.resolve(result);
    await settle();
    const collect = runner.take('collect');
    collect.resolve(collected(collect.job, 2, { finished: true }));
    await settle();
    const failing = runner.take('load');
    expect(failing.job.reuse).toBe(result.big.pixels);
    failing.reject(new Error('worker gone'));
    await settle();
    await vi.runAllTimersAsync();
    const retried = runner.take('load');
    expect(retried.job.reuse).toBeUndefined();
    expect(shell.bigChunksReused).toBe(0);
  });

  it('starts no collect job on a finished big chunk, even when taking in its chunks grants credit', async () => {
    const { shell, runner } = setup();
    const collect = await firstCollect(shell, runner, 8);
    // The 4 chunks go straight to the consumer, which frees the room a grant is made of.
    collect.resolve(collected(collect.job, 4, { finished: true }));
    await settle();
    expect(runner.calls.map((c) => [c.job.kind, c.job.index])).toEqual([['load', 1]]);
  });

  it('keeps the checkpoint of a late result, and none of its chunks once the tenure ended', async () => {
    const { shell, runner } = setup();
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    const first = runner.take('collect', 'a');
    first.resolve(collected(first.job, 1));
    await settle();
    const second = runner.take('collect', 'a');
    // The swap is due when the result arrives (its timer has not fired yet): the checkpoint's
    // event ends the tenure, so the 3 chunks reported after it are late.
    clock = 100;
    second.resolve(collected(second.job, 3, { checkpoint: { value: 'cp' } }));
    await settle();
    expect(shell.state.counters.swaps).toBe(1);
    expect(shell.state.patients.find((p) => p.id === 'a')?.checkpoint).toBe('cp');
    expect(shell.state.counters).toMatchObject({ produced: 1, lateChunks: 3 });
    // The shell holds exactly what the machine accounts for: the one chunk produced in time.
    expect(shell.buffered).toBe(1);
  });

  it('aborts the running job of a swapped-out tenure and ignores what it returns late', async () => {
    const { shell, runner } = setup({ onSwap: 'discard' });
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    const first = runner.take('collect', 'a');
    first.resolve(collected(first.job, 1));
    await settle();
    const running = runner.take('collect', 'a');
    clock = 100;
    vi.advanceTimersByTime(100);
    expect(running.signal?.aborted).toBe(true);
    running.resolve(collected(running.job, 3));
    await settle();
    // Only the chunk produced in time is held (it had moved on to the merged queue).
    expect(shell.state.counters.produced).toBe(1);
    expect(shell.buffered).toBe(1);
    expect(runner.take('load').job.patient.id).toBe('b');
  });

  it('carries status, checkpoint and messages between jobs and tenures', async () => {
    const { shell, runner } = setup({ numBigChunkLoaders: 1 }, ['a', 'b']);
    shell.start();
    let load = runner.take('load', 'a');
    expect(load.job.checkpoint).toBeUndefined();
    load.resolve(loaded(load.job));
    await settle();
    let collect = runner.take('collect', 'a');
    shell.message('a', { lr: 0.1 });
    shell.message('b', 'for b');
    collect.resolve(
      collected(collect.job, 1, { checkpoint: { value: { seen: 1 } }, status: { value: 'busy' } }),
    );
    await settle();
    expect(shell.status('a')).toBe('busy');
    expect(shell.status('b')).toBeUndefined();
    collect = runner.take('collect', 'a');
    expect(collect.job.lastMessage).toEqual({ lr: 0.1 });
    expect(collect.job.checkpoint).toEqual({ seen: 1 });
    // Swap a out, b in: b's load carries its queued message; then a comes back with its checkpoint.
    clock = 100;
    vi.advanceTimersByTime(100);
    load = runner.take('load', 'b');
    expect(load.job.lastMessage).toBe('for b');
    load.resolve(loaded(load.job));
    await settle();
    const cb = runner.take('collect', 'b');
    cb.resolve(collected(cb.job, 1));
    await settle();
    clock = 200;
    vi.advanceTimersByTime(100);
    load = runner.take('load', 'a');
    expect(load.job.checkpoint).toEqual({ seen: 1 });
    expect(load.job.lastMessage).toEqual({ lr: 0.1 });
  });

  it('ends with PatientsExhaustedError only after the buffered chunks are delivered', async () => {
    const { shell, runner, delivered, ended } = setup(
      { failure: { maxConsecutiveFailures: 1, backoffMs: 0 } },
      ['a'],
    );
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    const collect = runner.take('collect', 'a');
    collect.resolve(
      collected(collect.job, 2, {
        failure: {
          message: 'boom',
          code: undefined,
          name: 'Error',
          stack: undefined,
          record: 'wsi',
          path: undefined,
          region: undefined,
        },
      }),
    );
    await settle();
    expect(ended).toEqual([]);
    expect(shell.buffered).toBe(2);
    shell.demand(1);
    expect(ended).toEqual([]);
    shell.demand(2);
    expect(delivered).toHaveLength(2);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toBeInstanceOf(PatientsExhaustedError);
    expect((ended[0] as PatientsExhaustedError).patients).toEqual(['a']);
  });

  it('close() aborts running jobs, drops buffers and leaves no timer', async () => {
    const { shell, runner } = setup();
    shell.start();
    const load = runner.take('load', 'a');
    load.resolve(loaded(load.job));
    await settle();
    const collect = runner.take('collect', 'a');
    collect.resolve(collected(collect.job, 2));
    await settle();
    const running = runner.take('collect', 'a');
    expect(vi.getTimerCount()).toBe(1);
    shell.close();
    shell.close();
    expect(running.signal?.aborted).toBe(true);
    expect(shell.buffered).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(shell.state.closed).toBe(true);
    expect(shell.state.counters.dropped.close).toBe(2);
  });
});
