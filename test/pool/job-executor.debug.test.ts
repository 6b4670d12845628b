import { describe, expect, it } from 'vitest';
import { JobFailedError, JobTimeoutError, WorkerModuleError } from '../../src/errors.js';
import { deriveSeed } from '../../src/internal/derive-seed.js';
import type { JobOutcome } from '../../src/pool/index.js';
import {
  DOUBLE_JS,
  IMPORT_FAILS,
  executorFactory,
  until,
  type Behaviour,
} from './executor-harness.js';

const make = executorFactory();

/** What an outcome looks like regardless of where the job ran. */
function normalize(outcome: JobOutcome<unknown>): unknown {
  if (outcome.ok) {
    const r = outcome.result as { fromContext?: unknown } | undefined;
    if (r instanceof Uint8Array) return { ok: true, bytes: Array.from(r) };
    if (r !== null && typeof r === 'object' && 'fromContext' in r)
      return { ok: true, info: r.fromContext };
    return { ok: true, result: r };
  }
  const e = outcome.error as Error & { code?: string };
  return { ok: false, name: e.name, code: e.code, message: e.message.replace(/ \[.*\]$/, '') };
}

const PARITY_INPUTS: Behaviour[] = [
  { op: 'echo', value: { nested: [1, 'two', null], when: 3 } },
  { op: 'null' },
  { op: 'undefined' },
  { op: 'throw', message: 'same failure', code: 'E_SAME' },
  { op: 'throw-string', message: 'a string' },
  { op: 'bytes', size: 16, fill: 3 },
  { op: 'function' },
  { op: 'info' },
];

describe('JobExecutor debug mode', () => {
  it('gives the same outcomes as worker threads, in order', async () => {
    const threads = make<Behaviour, unknown>({ workers: 1, seed: 3 });
    const debug = make<Behaviour, unknown>({ workers: 1, seed: 3, debug: true });
    const a = await threads.runAll(PARITY_INPUTS, { settle: true });
    const b = await debug.runAll(PARITY_INPUTS, { settle: true });
    expect(b.map(normalize)).toEqual(a.map(normalize));
    expect(b.map(normalize).at(-1)).toEqual({
      ok: true,
      info: { workerId: 0, seed: deriveSeed(3, 0, 0), generation: 0 },
    });
  });

  it('wraps job errors the same way, with the stack from the job function', async () => {
    const ex = make<Behaviour, unknown>({ workers: 2, debug: true });
    const error = await ex.run({ op: 'throw', message: 'debug failure' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).workerStack).toMatch(/behaviours\.worker\.ts/);
    expect((error as JobFailedError).context).toMatchObject({ attempt: 1 });
  });

  it('simulates each worker with its own identity, seen by getWorkerInfo() per job', async () => {
    const ex = make<
      Behaviour,
      { fromContext: { workerId: number; seed: number }; fromCall: unknown }
    >({
      workers: 2,
      seed: 11,
      debug: true,
    });
    const infos = await ex.runAll([
      { op: 'info', ms: 50 },
      { op: 'info', ms: 50 },
    ]);
    expect(infos.map((i) => i.fromContext.workerId).sort()).toEqual([0, 1]);
    for (const info of infos) {
      expect(info.fromCall).toEqual(info.fromContext);
      expect(info.fromContext.seed).toBe(deriveSeed(11, info.fromContext.workerId, 0));
    }
  });

  it('moves transferred inputs and result buffers like workers do', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, debug: true });
    const data = new Uint8Array(1024).fill(4);
    await expect(ex.run({ op: 'input-bytes', data }, { transfer: [data.buffer] })).resolves.toEqual(
      {
        byteLength: 1024,
        first: 4,
        last: 4,
      },
    );
    expect(data.byteLength).toBe(0);
    await ex.run({ op: 'stash-bytes', size: 2048 });
    await expect(ex.run({ op: 'stash-detached' })).resolves.toEqual({
      byteLength: 0,
      bufferByteLength: 0,
    });
  });

  it('aborts running jobs cooperatively', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, debug: true });
    const controller = new AbortController();
    const running = ex.run({ op: 'wait-abort' }, { signal: controller.signal });
    await until(() => ex.report().workers[0]?.state === 'busy');
    const reason = new Error('debug abort');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await until(() => ex.report().running === 0);
    const log = (await ex.run({ op: 'aborted-log' })) as { reason: string }[];
    expect(log.map((l) => l.reason)).toContain('AbortError: The job was aborted');
  });

  it('times out a job by abandoning it and giving its simulated worker a new generation', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, debug: true });
    await ex.run({ op: 'echo', value: 'warm' });
    await expect(
      ex.run({ op: 'sleep', ms: 2_000, value: 'late' }, { timeoutMs: 30 }),
    ).rejects.toBeInstanceOf(JobTimeoutError);
    const info = (await ex.run({ op: 'info' })) as { fromContext: { generation: number } };
    expect(info.fromContext.generation).toBe(1);
    expect(ex.report().restarts).toBe(1);
  });

  it('reports module problems as WorkerModuleError, and runs plain JavaScript modules', async () => {
    const broken = make<number, number>({ module: IMPORT_FAILS, workers: 1, debug: true });
    await expect(broken.run(1)).rejects.toBeInstanceOf(WorkerModuleError);
    const ok = make<number, number>({ module: DOUBLE_JS, workers: 1, debug: true });
    await expect(ok.run(5)).resolves.toBe(10);
    await ok.close();
    expect(ok.report()).toMatchObject({ state: 'closed', liveWorkers: 0 });
  });

  it("calls the module's workerTeardown once on close, so in-process code can let go of what it holds", async () => {
    const key = `__teardown_${Math.random().toString(36).slice(2)}`;
    const g = globalThis as Record<string, unknown>;
    const module = `data:text/javascript,${encodeURIComponent(`
      export default (n) => n + 1;
      export function workerTeardown() { globalThis[${JSON.stringify(key)}] = (globalThis[${JSON.stringify(key)}] ?? 0) + 1; }`)}`;
    const ex = make<number, number>({ module, workers: 2, debug: true });
    await expect(Promise.all([ex.run(1), ex.run(2)])).resolves.toEqual([2, 3]);
    expect(g[key]).toBeUndefined();
    await ex.close();
    // One module instance for both simulated workers: one call.
    expect(g[key]).toBe(1);
    await ex.close();
    expect(g[key]).toBe(1);
    delete g[key];
  });

  it('closes even when workerTeardown throws', async () => {
    const module = `data:text/javascript,${encodeURIComponent(`
      export default (n) => n;
      export function workerTeardown() { throw new Error('teardown broke'); }`)}`;
    const ex = make<number, number>({ module, workers: 1, debug: true });
    await expect(ex.run(4)).resolves.toBe(4);
    await expect(ex.close()).resolves.toBeUndefined();
    expect(ex.report()).toMatchObject({ state: 'closed', liveWorkers: 0 });
  });
});
