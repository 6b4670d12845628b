import { describe, expect, it } from 'vitest';
import {
  JobFailedError,
  JobTimeoutError,
  WorkerExitedError,
  WorkerModuleError,
  WorkerOutOfMemoryError,
} from '../../src/errors.js';
import {
  DOUBLE_JS,
  EXIT_AT_START,
  IMPORT_FAILS,
  INIT_FAILS,
  executorFactory,
  until,
} from './executor-harness.js';

const make = executorFactory();

describe('JobExecutor worker failures', () => {
  it('rejects with WorkerExitedError when a worker calls process.exit() on every attempt, then carries on', async () => {
    const ex = make({ workers: 1, maxRetries: 1 });
    const error = await ex.run({ op: 'exit', code: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    const exited = error as WorkerExitedError;
    expect(exited.code).toBe('ERR_WORKER_EXITED');
    expect(exited.exitCode).toBe(3);
    expect(exited.context).toMatchObject({ worker: 0, attempt: 2 });
    expect(exited.message).toMatch(/^Worker exited with code 3 \[worker 0, job \d+, attempt 2\]$/);
    expect(ex.report()).toMatchObject({ failed: 1, retried: 1, restarts: 2 });
    await expect(ex.run({ op: 'echo', value: 'still here' })).resolves.toBe('still here');
  });

  it('does not retry with maxRetries 0', async () => {
    const ex = make({ workers: 1, maxRetries: 0 });
    await expect(ex.run({ op: 'exit', code: 4 })).rejects.toMatchObject({
      exitCode: 4,
      context: { attempt: 1 },
    });
    expect(ex.report()).toMatchObject({ failed: 1, retried: 0 });
  });

  it('rejects with WorkerExitedError carrying the uncaught error when a worker crashes', async () => {
    const ex = make({ workers: 1, maxRetries: 0 });
    const error = await ex.run({ op: 'crash', message: 'kaboom' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect((error as Error).message).toMatch(/^Worker died of an uncaught error: kaboom \[/);
    expect(((error as Error).cause as Error).message).toBe('kaboom');
    await until(() => ex.report().restarts === 1);
    await expect(ex.run({ op: 'echo', value: 1 })).resolves.toBe(1);
  });

  it('re-runs a crashed job and succeeds on the replacement worker', async () => {
    const ex = make({ workers: 1 });
    await expect(ex.run({ op: 'crash', message: 'once', attempts: 1 })).resolves.toBe(
      'survived attempt 2',
    );
    expect(ex.report()).toMatchObject({ completed: 1, retried: 1 });
  });

  it('rejects with WorkerOutOfMemoryError when a worker exceeds its resourceLimits', async () => {
    const ex = make({
      workers: 1,
      maxRetries: 0,
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 8 },
    });
    const error = await ex.run({ op: 'oom' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerOutOfMemoryError);
    expect((error as WorkerOutOfMemoryError).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect((error as WorkerOutOfMemoryError).context).toMatchObject({ attempt: 1 });
    await expect(ex.run({ op: 'echo', value: 'recovered' })).resolves.toBe('recovered');
  });

  it('rejects with JobTimeoutError past timeoutMs, replaces the worker and does not retry', async () => {
    const ex = make({ workers: 1, timeoutMs: 5_000 });
    await ex.run({ op: 'echo', value: 'warm' });
    const error = await ex
      .run({ op: 'spin', ms: 30_000 }, { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as JobTimeoutError).timeoutMs).toBe(100);
    expect((error as JobTimeoutError).message).toMatch(
      /^Job timed out after 100 ms \[worker 0, job \d+, attempt 1\]$/,
    );
    await until(() => ex.report().restarts === 1);
    expect(ex.report()).toMatchObject({ timedOut: 1, failed: 1, retried: 0 });
    await expect(ex.run({ op: 'echo', value: 'next' })).resolves.toBe('next');
  });

  it('applies the executor-wide timeoutMs', async () => {
    const ex = make({ workers: 1, timeoutMs: 100 });
    await expect(ex.run({ op: 'spin', ms: 30_000 })).rejects.toBeInstanceOf(JobTimeoutError);
  });
});

describe('JobExecutor with jobs handed to workers ahead (prefetch)', () => {
  // One worker, one job queued: the second job is posted to the worker while the first runs.
  const oneAhead = { workers: 1, maxQueue: 1, maxRetries: 0 } as const;

  it('passes a job waiting on a worker that dies on to the replacement, without counting an attempt', async () => {
    const ex = make(oneAhead);
    await ex.run({ op: 'echo', value: 'warm' });
    const dying = ex.run({ op: 'exit', code: 5 }).catch((e: unknown) => e);
    const ahead = ex.run({ op: 'info' });
    expect(await dying).toBeInstanceOf(WorkerExitedError);
    await expect(ahead).resolves.toMatchObject({ attempt: 1, fromContext: { generation: 1 } });
    expect(ex.report()).toMatchObject({ completed: 2, failed: 1, retried: 0, restarts: 1 });
  });

  it('runs a job waiting behind one that timed out, on the replacement worker', async () => {
    const ex = make({ ...oneAhead, maxRetries: 1 });
    await ex.run({ op: 'echo', value: 'warm' });
    const slow = ex.run({ op: 'spin', ms: 30_000 }, { timeoutMs: 100 }).catch((e: unknown) => e);
    const ahead = ex.run({ op: 'info' });
    expect(await slow).toBeInstanceOf(JobTimeoutError);
    await expect(ahead).resolves.toMatchObject({ attempt: 1, fromContext: { generation: 1 } });
    expect(ex.report()).toMatchObject({ timedOut: 1, retried: 0, restarts: 1 });
  });

  it('fails a job whose moved input waited on a worker that died, naming the job', async () => {
    const ex = make(oneAhead);
    await ex.run({ op: 'echo', value: 'warm' });
    const dying = ex.run({ op: 'exit', code: 6 }).catch((e: unknown) => e);
    const data = new Uint8Array(16).fill(3);
    const ahead = ex.run({ op: 'input-bytes', data }, { transfer: [data.buffer] });
    expect(data.byteLength).toBe(0);
    expect(await dying).toBeInstanceOf(WorkerExitedError);
    const error = await ahead.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect((error as WorkerExitedError).message).toMatch(
      /^The worker holding the job's moved input died before starting it \[worker 0, job \d+, attempt 1\]$/,
    );
    expect(ex.report()).toMatchObject({ failed: 2, retried: 0 });
  });

  it('keeps the next job in the pool without prefetch, so a moved input survives the death', async () => {
    const ex = make({ ...oneAhead, prefetch: false });
    await ex.run({ op: 'echo', value: 'warm' });
    const dying = ex.run({ op: 'exit', code: 7 }).catch((e: unknown) => e);
    const data = new Uint8Array(16).fill(3);
    const queued = ex.run({ op: 'input-bytes', data }, { transfer: [data.buffer] });
    expect(await dying).toBeInstanceOf(WorkerExitedError);
    await expect(queued).resolves.toEqual({ byteLength: 16, first: 3, last: 3 });
  });
});

describe('JobExecutor job failures', () => {
  it('wraps a thrown string in JobFailedError and reuses the worker', async () => {
    const ex = make({ workers: 1 });
    const error = await ex
      .run({ op: 'throw-string', message: 'plain string' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toMatch(/^plain string \[/);
    expect(ex.report()).toMatchObject({ restarts: 0, failed: 1 });
    expect(ex.report().workers[0]).toMatchObject({ failed: 1, generation: 0 });
  });

  it('fails a job whose result cannot be cloned, naming the path, without losing the worker', async () => {
    const ex = make({ workers: 1 });
    const error = await ex.run({ op: 'function' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toMatch(
      /a function at `result\.nested\.fn` is not structured-cloneable/,
    );
    await expect(ex.run({ op: 'echo', value: 2 })).resolves.toBe(2);
    expect(ex.report().restarts).toBe(0);
  });

  it('rejects an input that cannot be cloned with a TypeError naming the path', async () => {
    const ex = make({ workers: 1 });
    const input = { op: 'echo', value: { callback: () => 1 } } as const;
    await expect(ex.run(input as never)).rejects.toThrow(
      new TypeError(
        'Expected `input.value.callback` to be structured-cloneable (no functions, symbols, promises or weak collections), got `function` (function)',
      ),
    );
    expect(ex.report().completed + ex.report().failed).toBe(0);
  });
});

describe('JobExecutor module problems', () => {
  it('fails jobs with WorkerModuleError when the module throws at import', async () => {
    const ex = make<number, number>({ module: IMPORT_FAILS, workers: 1 });
    const error = await ex.run(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerModuleError);
    expect((error as WorkerModuleError).code).toBe('ERR_WORKER_MODULE');
    expect((error as Error).message).toMatch(
      /^Cannot load the worker module data:text\/javascript,.*: broken at import/,
    );
    expect((error as WorkerModuleError).context.path).toBe(IMPORT_FAILS);
    expect(ex.report().state).toBe('open');
  });

  it('fails jobs with WorkerModuleError when the module file does not exist', async () => {
    const ex = make<number, number>({ module: '/nonexistent/dir/missing.worker.js', workers: 1 });
    const error = await ex.run(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerModuleError);
    expect((error as Error).message).toMatch(
      /Cannot load the worker module file:\/\/\/nonexistent\/dir\/missing\.worker\.js/,
    );
  });

  it('names the missing export and lists the function exports', async () => {
    const ex = make<number, number>({ module: DOUBLE_JS, name: 'quadruple', workers: 1 });
    await expect(ex.run(1)).rejects.toThrow(
      /has no function export `quadruple` \(function exports: `default`, `triple`\)/,
    );
    const notAFunction = make<number, number>({
      module: DOUBLE_JS,
      name: 'notAFunction',
      workers: 1,
    });
    await expect(notAFunction.run(1)).rejects.toBeInstanceOf(WorkerModuleError);
  });

  it('fails jobs with WorkerModuleError when workerInit throws', async () => {
    const ex = make<number, number>({ module: INIT_FAILS, workers: 1 });
    const error = await ex.run(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerModuleError);
    expect((error as Error).message).toMatch(/workerInit of .* failed: init refused/);
    expect(((error as Error).cause as Error).message).toMatch(/init refused/);
  });

  it('breaks down instead of hanging when workers exit while starting', async () => {
    const ex = make<number, number>({ module: EXIT_AT_START, workers: 2 });
    const error = await ex.run(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerModuleError);
    expect((error as Error).message).toMatch(/^A worker exited while starting up/);
    expect(ex.report().state).toBe('broken');
    await expect(ex.run(2)).rejects.toBe(error);
    expect(() => ex.tryPut(3)).toThrow(error);
    await ex.close();
    expect(ex.report()).toMatchObject({ state: 'closed', liveWorkers: 0 });
  });
});
