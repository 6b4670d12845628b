import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecutorClosedError } from '../../src/errors.js';
import { deriveSeed } from '../../src/internal/derive-seed.js';
import { JobExecutor, type JobOutcome } from '../../src/pool/index.js';
import { BEHAVIOURS, executorFactory, settled, until, type Behaviour } from './executor-harness.js';

const make = executorFactory();

interface InfoResult {
  readonly fromContext: { workerId: number; seed: number; generation: number };
  readonly fromCall: { workerId: number; seed: number; generation: number };
  readonly topLevel: { workerId: number; seed: number; generation: number };
  readonly initCalls: number;
  readonly initInfo: { workerId: number; seed: number; generation: number };
  readonly attempt: number;
}

describe('JobExecutor construction', () => {
  it('rejects an invalid worker count with a RangeError in the house shape', () => {
    for (const workers of [0, 1.5, -2, 1, Number.NaN]) {
      if (workers === 1) continue;
      expect(() => new JobExecutor({ module: BEHAVIOURS, workers })).toThrow(
        new RangeError(
          `Expected \`workers\` to be an integer ≥ 1, a fraction in (0, 1) or -1, got \`${String(workers)}\` (number)`,
        ),
      );
    }
    expect(() => new JobExecutor({ module: BEHAVIOURS, workers: '2' as never })).toThrow(
      new TypeError(
        'Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `"2"` (string)',
      ),
    );
  });

  it('rejects a missing module with a TypeError', () => {
    expect(() => new JobExecutor({} as never)).toThrow(
      new TypeError('Expected `module` to be a file path or URL, got `undefined` (undefined)'),
    );
  });

  it('resolves a fraction of the CPUs and -1 to worker counts', async () => {
    const cpus = os.availableParallelism();
    const half = make({ workers: 0.5, maxQueue: 0 });
    expect(half.report().workerCount).toBe(Math.max(1, Math.floor(cpus / 2)));
    const all = make({ workers: -1 });
    expect(all.report()).toMatchObject({ workerCount: cpus, maxQueue: cpus });
    await half.close();
    await all.close();
  });
});

describe('JobExecutor seeds, generations and workerInit', () => {
  it('gives each worker the seed derived from (seed, workerId, generation) and runs workerInit once', async () => {
    const ex = make<Behaviour, InfoResult>({ workers: 2, seed: 7 });
    const infos = await ex.runAll([
      { op: 'info', ms: 150 },
      { op: 'info', ms: 150 },
    ]);
    const ids = infos.map((i) => i.fromContext.workerId).sort();
    expect(ids).toEqual([0, 1]);
    for (const info of infos) {
      const { workerId } = info.fromContext;
      const expected = { workerId, seed: deriveSeed(7, workerId, 0), generation: 0 };
      expect(info.fromContext).toEqual(expected);
      expect(info.fromCall).toEqual(expected);
      expect(info.topLevel).toEqual(expected);
      expect(info.initInfo).toEqual(expected);
      expect(info.initCalls).toBe(1);
    }
    expect(infos[0]!.fromContext.seed).not.toBe(infos[1]!.fromContext.seed);
  });

  it('gives a restarted worker the next generation, a fresh seed and a fresh workerInit', async () => {
    const ex = make<Behaviour, InfoResult>({ workers: 1, seed: 7, maxRetries: 0 });
    const before = await ex.run({ op: 'info' });
    expect(before.fromContext).toEqual({ workerId: 0, seed: deriveSeed(7, 0, 0), generation: 0 });
    await expect(ex.run({ op: 'exit', code: 1 })).rejects.toThrow(/exited/);
    const after = await ex.run({ op: 'info' });
    expect(after.fromContext).toEqual({ workerId: 0, seed: deriveSeed(7, 0, 1), generation: 1 });
    expect(after.initCalls).toBe(1);
    expect(after.initInfo).toEqual(after.fromContext);
    expect(ex.report().workers[0]).toMatchObject({ workerId: 0, generation: 1 });
  });

  it('tells a re-run job its attempt number', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, maxRetries: 2 });
    await expect(ex.run({ op: 'exit', code: 1, attempts: 2 })).resolves.toBe('survived attempt 3');
  });
});

describe('JobExecutor environment', () => {
  it('passes env, and thread-count variables set by threadsPerWorker', async () => {
    const ex = make<Behaviour, unknown>({
      workers: 1,
      env: { LIGHTDL_PROBE: 'yes' },
      threadsPerWorker: 3,
    });
    await expect(ex.run({ op: 'env', name: 'LIGHTDL_PROBE' })).resolves.toBe('yes');
    await expect(ex.run({ op: 'env', name: 'OMP_NUM_THREADS' })).resolves.toBe('3');
    await expect(ex.run({ op: 'env', name: 'UV_THREADPOOL_SIZE' })).resolves.toBe('3');
    await expect(ex.run({ op: 'env', name: 'PATH' })).resolves.toBe(process.env['PATH']);
  });

  it('sets thread counts to 1 by default and lets env override them', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, env: { MKL_NUM_THREADS: '2' } });
    await expect(ex.run({ op: 'env', name: 'OPENBLAS_NUM_THREADS' })).resolves.toBe('1');
    await expect(ex.run({ op: 'env', name: 'MKL_NUM_THREADS' })).resolves.toBe('2');
  });
});

describe('JobExecutor.tryPut and results$', () => {
  it('takes jobs while there is room, refuses only when every slot is full, and reports outcomes in completion order', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, maxQueue: 1 });
    const outcomes: JobOutcome<unknown>[] = [];
    ex.results$.subscribe((o) => outcomes.push(o));
    expect(ex.tryPut({ op: 'sleep', ms: 100, value: 'a' }, { index: 10 })).toBe(true);
    expect(ex.tryPut({ op: 'echo', value: 'b' }, { index: 11 })).toBe(true);
    expect(ex.tryPut({ op: 'echo', value: 'c' }, { index: 12 })).toBe(false);
    expect(ex.report().running + ex.report().queued).toBe(2);
    await until(() => outcomes.length === 2);
    expect(outcomes.map((o) => [o.index, o.ok ? o.result : o.error])).toEqual([
      [10, 'a'],
      [11, 'b'],
    ]);
    expect(outcomes[0]!.id).toBeLessThan(outcomes[1]!.id);
    expect(ex.tryPut({ op: 'throw', message: 'late' }, { index: 13 })).toBe(true);
    await until(() => outcomes.length === 3);
    expect(outcomes[2]).toMatchObject({ index: 13, ok: false });
  });
});

describe('JobExecutor.report', () => {
  it('is a frozen snapshot with per-worker state and timing percentiles', async () => {
    const ex = make<Behaviour, unknown>({ workers: 2 });
    await ex.runAll(Array.from({ length: 6 }, (_, i) => ({ op: 'echo', value: i }) as const));
    const r = ex.report();
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.workers)).toBe(true);
    expect(r.workers).toHaveLength(2);
    expect(r.workers.map((w) => w.workerId)).toEqual([0, 1]);
    expect(r.workers.reduce((n, w) => n + w.completed, 0)).toBe(6);
    expect(r.runMs.count).toBe(6);
    expect(r.waitMs.count).toBe(6);
    expect(r.runMs.p50).toBeLessThanOrEqual(r.runMs.p99);
    expect(r.runMs.p99).toBeLessThanOrEqual(r.runMs.max);
    expect(r).toMatchObject({ state: 'open', session: 0, completed: 6, liveWorkers: 2 });
  });
});

describe('JobExecutor.close', () => {
  it('lets running jobs finish, refuses queued and waiting ones, and leaves no worker', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, maxQueue: 1 });
    let completed = false;
    ex.results$.subscribe({ complete: () => (completed = true) });
    const running = ex.run({ op: 'sleep', ms: 150, value: 'finished' });
    const queued = settled(ex.run({ op: 'echo', value: 'queued' }));
    const waiting = settled(ex.run({ op: 'echo', value: 'waiting' }));
    await until(() => ex.report().workers[0]?.state === 'busy');
    const closing = ex.close({ timeoutMs: 30_000 });
    expect(ex.close()).toBe(closing);
    for (const r of await Promise.all([queued, waiting])) {
      expect(r.ok).toBe(false);
      expect((r as { error: unknown }).error).toBeInstanceOf(ExecutorClosedError);
    }
    await expect(running).resolves.toBe('finished');
    await closing;
    expect(completed).toBe(true);
    const r = ex.report();
    expect(r).toMatchObject({ state: 'closed', liveWorkers: 0, running: 0, queued: 0, waiting: 0 });
    expect(r.workers.every((w) => w.state === 'stopped')).toBe(true);
    await expect(ex.run({ op: 'echo', value: 1 })).rejects.toBeInstanceOf(ExecutorClosedError);
    expect(() => ex.tryPut({ op: 'echo', value: 1 })).toThrow(ExecutorClosedError);
    await expect(ex.map([{ op: 'echo', value: 1 }] as Behaviour[]).next()).rejects.toBeInstanceOf(
      ExecutorClosedError,
    );
  });

  it('terminates jobs still running after its timeout', async () => {
    const ex = make<Behaviour, unknown>({ workers: 2 });
    const running = settled(ex.run({ op: 'spin', ms: 30_000 }));
    await until(() => ex.report().workers.some((w) => w.state === 'busy'));
    await ex.close({ timeoutMs: 50 });
    const result = await running;
    expect(result.ok).toBe(false);
    expect((result as { error: unknown }).error).toBeInstanceOf(ExecutorClosedError);
    expect(ex.report()).toMatchObject({ state: 'closed', liveWorkers: 0, cancelled: 1 });
  });

  it('closes through Symbol.asyncDispose', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1 });
    await ex.run({ op: 'echo', value: 1 });
    await ex[Symbol.asyncDispose]();
    expect(ex.report()).toMatchObject({ state: 'closed', liveWorkers: 0 });
  });

  it('hands a results$ first read after closing that completes at once', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1 });
    await ex.run({ op: 'echo', value: 1 });
    await ex.close();
    const seen: string[] = [];
    ex.results$.subscribe({ next: () => seen.push('next'), complete: () => seen.push('complete') });
    expect(seen).toEqual(['complete']);
  });

  it('rejects an invalid timeout', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1 });
    await expect(ex.close({ timeoutMs: -1 })).rejects.toThrow(
      new RangeError('Expected `timeoutMs` to be a number ≥ 0, got `-1` (number)'),
    );
  });
});

/** Runs a fixture script with tsx in a process of its own; a hung one is killed after 45 s. */
function runScript(name: string, mode = ''): Promise<{ code: number | null; stdout: string }> {
  const script = fileURLToPath(new URL(`../fixtures/workers/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // A process kept alive by the executor would never exit: give up (and fail) eventually.
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout });
    });
  });
}

describe('JobExecutor and process lifetime', () => {
  it('lets the process exit when an executor is dropped without close, after jobs, retries and a timeout', async () => {
    const { code, stdout } = await runScript('drop-without-close.ts', 'jobs');
    expect(stdout.trim()).toBe(JSON.stringify(['one', 'survived attempt 2', 'JobTimeoutError']));
    expect(code).toBe(0);
  });

  it('lets the process exit when an idle executor is dropped', async () => {
    const { code, stdout } = await runScript('drop-without-close.ts', 'idle');
    expect(stdout.trim()).toBe('"open"');
    expect(code).toBe(0);
  });
});

describe('JobExecutor and RxJS', () => {
  it('loads RxJS only once results$ is read: run, map and runAll over arrays do without it', async () => {
    const { code, stdout } = await runScript('rxjs-on-demand.ts');
    expect(JSON.parse(stdout)).toEqual({
      loaded: [false, false, true],
      results: [2, 3, 4, 5, 10],
      outcomes: [10],
    });
    expect(code).toBe(0);
  });
});
