import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../src/internal/derive-seed.js';
import type { WorkerBootConfig } from '../../src/pool/protocol.js';
import {
  abortReason,
  bootWorker,
  runJob,
  workerInfoFor,
  type JobAbortSource,
} from '../../src/pool/worker-runtime.js';
import { jsModule } from './executor-harness.js';

const JOBS = jsModule(`
  export let calls = 0;
  export let inits = [];
  export function workerInit(info) { inits.push(info); }
  export default async function job(input, context) {
    calls++;
    if (input === 'throw') throw Object.assign(new Error('job threw'), { code: 'E_JOB' });
    if (input === 'fn') return { f() {} };
    if (input === 'bytes') return { a: new Uint8Array(8), b: new Uint8Array(8) };
    if (input === 'signal') {
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
      throw context.signal.reason;
    }
    return { input, jobId: context.jobId, attempt: context.attempt, info: context.workerInfo };
  }
`);

function config(extra: Partial<WorkerBootConfig> = {}): WorkerBootConfig {
  return {
    module: JOBS,
    exportName: 'default',
    seed: 5,
    transferResults: true,
    workers: 2,
    dispatchSlots: 4,
    prefetch: false,
    clockBase: 0,
    ...extra,
  };
}

function abortSource(): JobAbortSource & { raise(code: number): void; watchers: number } {
  let code = 0;
  const listeners = new Set<(code: number) => void>();
  return {
    watchers: 0,
    code: () => code,
    watch(onAbort) {
      this.watchers++;
      if (code !== 0) {
        onAbort(code);
        return () => {};
      }
      listeners.add(onAbort);
      return () => listeners.delete(onAbort);
    },
    raise(c) {
      code = c;
      for (const l of listeners) l(c);
    },
  };
}

describe('bootWorker and runJob', () => {
  it('derives the worker’s seed, runs workerInit with it, and answers jobs with context', async () => {
    const info = workerInfoFor(config(), 1, 3);
    expect(info).toEqual({ workerId: 1, seed: deriveSeed(5, 1, 3), generation: 3 });
    const runtime = await bootWorker(config(), info);
    const ns = (await import(JOBS)) as { inits: unknown[] };
    expect(ns.inits).toContainEqual(info);
    const { reply } = await runJob(runtime, { j: 7, a: 2, d: 0, i: 'x' }, abortSource());
    expect(reply).toMatchObject({
      w: 1,
      g: 3,
      ok: true,
      v: { input: 'x', jobId: 7, attempt: 2, info },
    });
    expect(reply.t).toBeGreaterThanOrEqual(0);
  });

  it('answers a throwing job with its serialized error', async () => {
    const runtime = await bootWorker(config(), workerInfoFor(config(), 0, 0));
    const { reply } = await runJob(runtime, { j: 1, a: 1, d: 0, i: 'throw' }, abortSource());
    expect(reply).toMatchObject({
      ok: false,
      k: 'job',
      e: { name: 'Error', message: 'job threw', props: { code: 'E_JOB' } },
    });
  });

  it('refuses a result that cannot be cloned, naming where', async () => {
    const runtime = await bootWorker(config(), workerInfoFor(config(), 0, 0));
    const { reply } = await runJob(runtime, { j: 1, a: 1, d: 0, i: 'fn' }, abortSource());
    expect(reply).toMatchObject({ ok: false, k: 'job', e: { name: 'TypeError' } });
    expect((reply as { e: { message: string } }).e.message).toBe(
      "The job's result cannot be sent back: a function at `result.f` is not structured-cloneable",
    );
  });

  it('lists the result’s buffers to move, unless transferResults is off', async () => {
    const on = await bootWorker(config(), workerInfoFor(config(), 0, 0));
    expect(
      (await runJob(on, { j: 1, a: 1, d: 0, i: 'bytes' }, abortSource())).transfer,
    ).toHaveLength(2);
    const off = await bootWorker(config({ transferResults: false }), workerInfoFor(config(), 0, 0));
    expect(
      (await runJob(off, { j: 1, a: 1, d: 0, i: 'bytes' }, abortSource())).transfer,
    ).toHaveLength(0);
  });

  it('skips a job aborted before it started, without calling the job function', async () => {
    const runtime = await bootWorker(config(), workerInfoFor(config(), 0, 0));
    const ns = (await import(JOBS)) as { calls: number };
    const before = ns.calls;
    const source = abortSource();
    source.raise(2);
    const { reply } = await runJob(runtime, { j: 1, a: 1, d: 0, i: 'x' }, source);
    expect(reply).toMatchObject({
      ok: false,
      k: 'aborted',
      e: { name: 'AbortError', message: 'The job session was reset' },
    });
    expect(ns.calls).toBe(before);
  });

  it('watches for aborts only when the job reads its signal, and aborts it with a reason', async () => {
    const runtime = await bootWorker(config(), workerInfoFor(config(), 0, 0));
    const quiet = abortSource();
    await runJob(runtime, { j: 1, a: 1, d: 0, i: 'x' }, quiet);
    expect(quiet.watchers).toBe(0);
    const source = abortSource();
    const running = runJob(runtime, { j: 2, a: 1, d: 0, i: 'signal' }, source);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.watchers).toBe(1);
    source.raise(4);
    const { reply } = await running;
    expect(reply).toMatchObject({
      ok: false,
      k: 'job',
      e: { name: 'TimeoutError', message: 'The job timed out' },
    });
  });

  it('reports a module that cannot load, a missing export and a failing workerInit as module failures', async () => {
    const missing = await bootWorker(
      config({ module: jsModule('throw new Error("nope")') }),
      workerInfoFor(config(), 0, 0),
    );
    expect(missing.fn).toBeUndefined();
    expect(missing.failure?.message).toMatch(/^Cannot load the worker module data:.*: nope$/);
    const { reply } = await runJob(missing, { j: 1, a: 1, d: 0, i: 1 }, abortSource());
    expect(reply).toMatchObject({ ok: false, k: 'module' });
    const noExport = await bootWorker(
      config({ exportName: 'other' }),
      workerInfoFor(config(), 0, 0),
    );
    expect(noExport.failure?.message).toMatch(
      /has no function export `other` \(function exports: `default`, `workerInit`\)$/,
    );
    const badInit = await bootWorker(
      config({
        module: jsModule(
          'export function workerInit() { throw new Error("init no"); } export default () => 1;',
        ),
      }),
      workerInfoFor(config(), 0, 0),
    );
    expect(badInit.failure?.message).toMatch(/^workerInit of .* failed: init no$/);
    expect(badInit.failure?.cause?.message).toBe('init no');
  });
});

describe('abortReason', () => {
  it('names why a job was aborted', () => {
    expect(abortReason(1)).toMatchObject({ name: 'AbortError', message: 'The job was aborted' });
    expect(abortReason(2).message).toBe('The job session was reset');
    expect(abortReason(3).message).toBe('The executor is closing');
    expect(abortReason(4)).toMatchObject({ name: 'TimeoutError', message: 'The job timed out' });
  });
});
