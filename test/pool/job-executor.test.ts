import { describe, expect, it } from 'vitest';
import { JobFailedError } from '../../src/errors.js';
import type { JobOutcome } from '../../src/pool/index.js';
import { DOUBLE_JS, executorFactory, until, type Behaviour } from './executor-harness.js';

const make = executorFactory();
const MIB = 1 << 20;

describe('JobExecutor parity cases', () => {
  it('runs 10 jobs on 2 workers into 10 distinct results', async () => {
    const ex = make<Behaviour, number>({ workers: 2 });
    const inputs = Array.from({ length: 10 }, (_, i) => ({ op: 'echo', value: i * 7 }) as const);
    const results = await ex.runAll(inputs);
    expect(results).toEqual(inputs.map((i) => i.value));
    expect(new Set(results).size).toBe(10);
    expect(ex.report()).toMatchObject({ completed: 10, failed: 0, cancelled: 0, retried: 0 });
  });

  it('delivers 20 results of 1 MiB typed arrays intact', async () => {
    const ex = make<Behaviour, Uint8Array>({ workers: 2 });
    const inputs = Array.from(
      { length: 20 },
      (_, i) => ({ op: 'bytes', size: MIB, fill: i + 1 }) as const,
    );
    const results = await ex.runAll(inputs);
    expect(results).toHaveLength(20);
    results.forEach((bytes, i) => {
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.byteLength).toBe(MIB);
      expect(bytes.every((b) => b === i + 1)).toBe(true);
    });
  });

  it('after a break with jobs in flight, a new session yields exactly 5 and nothing stale', async () => {
    const ex = make<Behaviour, string>({ workers: 2, abortGraceMs: 20 });
    const seen: JobOutcome<string>[] = [];
    const old = Array.from(
      { length: 5 },
      (_, i) => ({ op: 'sleep', ms: 20 + 20 * i, value: `old-${i}` }) as const,
    );
    let got = 0;
    for await (const value of ex.map(old)) {
      expect(value).toBe('old-0');
      got++;
      break;
    }
    expect(got).toBe(1);
    ex.reset();
    const subscription = ex.results$.subscribe((o) => seen.push(o));
    const fresh = Array.from(
      { length: 5 },
      (_, i) => ({ op: 'sleep', ms: 5, value: `new-${i}` }) as const,
    );
    const results: string[] = [];
    for await (const value of ex.map(fresh)) results.push(value);
    // Give stale jobs every chance to surface before looking.
    await until(() => ex.report().running === 0);
    subscription.unsubscribe();
    expect(results).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    expect(seen.map((o) => (o.ok ? o.result : 'error'))).toEqual(expect.arrayContaining(results));
    expect(seen).toHaveLength(5);
    expect(ex.report().session).toBe(1);
  });

  it('reports one failing job among 40 with its stack and delivers the other 39', async () => {
    const ex = make<Behaviour, unknown>({ workers: 2 });
    const inputs: Behaviour[] = Array.from({ length: 40 }, (_, i) =>
      i === 17
        ? { op: 'throw', message: 'job 17 broke', code: 'E_SEVENTEEN' }
        : { op: 'echo', value: i },
    );
    const fromStream: JobOutcome<unknown>[] = [];
    const subscription = ex.results$.subscribe((o) => fromStream.push(o));
    const outcomes = await ex.runAll(inputs, { settle: true });
    subscription.unsubscribe();
    expect(outcomes).toHaveLength(40);
    const failures = outcomes.filter((o) => !o.ok);
    expect(failures).toHaveLength(1);
    const failure = failures[0]!;
    expect(failure.index).toBe(17);
    expect(failure.ok).toBe(false);
    const error = (failure as { error: unknown }).error as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.code).toBe('ERR_JOB_FAILED');
    expect(error.message).toMatch(/^job 17 broke \[worker \d, job \d+, attempt 1\]$/);
    expect(error.workerStack).toMatch(/behaviours\.worker\.ts/);
    expect(error.context).toMatchObject({ job: failure.id, attempt: 1 });
    expect((error.cause as { code?: string }).code).toBe('E_SEVENTEEN');
    expect(outcomes.filter((o) => o.ok).map((o) => (o.ok ? o.result : null))).toEqual(
      Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 17),
    );
    expect(fromStream).toHaveLength(40);
    expect(ex.report()).toMatchObject({ completed: 39, failed: 1, restarts: 0 });
  });

  it('delivers null and undefined results as successes', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1 });
    await expect(ex.run({ op: 'undefined' })).resolves.toBeUndefined();
    await expect(ex.run({ op: 'null' })).resolves.toBeNull();
    const outcomes = await ex.runAll([{ op: 'undefined' }, { op: 'null' }], { settle: true });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(outcomes.map((o) => (o.ok ? o.result : 'failed'))).toEqual([undefined, null]);
    expect(ex.report()).toMatchObject({ completed: 4, failed: 0 });
  });

  it('re-runs the job whose worker is killed during the 2nd of 5 jobs, with exact counters', async () => {
    const ex = make<Behaviour, unknown>({ workers: 2 });
    const inputs: Behaviour[] = [
      { op: 'echo', value: 'a' },
      { op: 'exit', code: 9, attempts: 1 },
      { op: 'echo', value: 'c' },
      { op: 'echo', value: 'd' },
      { op: 'echo', value: 'e' },
    ];
    const results = await ex.runAll(inputs);
    expect(results).toEqual(['a', 'survived attempt 2', 'c', 'd', 'e']);
    expect(ex.report()).toMatchObject({
      completed: 5,
      failed: 0,
      cancelled: 0,
      retried: 1,
      restarts: 1,
      running: 0,
      queued: 0,
    });
  });
});

describe('JobExecutor zero-copy', () => {
  it('moves a transferred input buffer to the worker (detached here)', async () => {
    const ex = make<Behaviour, { byteLength: number; first: number; last: number }>({ workers: 1 });
    const data = new Uint8Array(MIB).fill(5);
    const result = await ex.run({ op: 'input-bytes', data }, { transfer: [data.buffer] });
    expect(result).toEqual({ byteLength: MIB, first: 5, last: 5 });
    expect(data.byteLength).toBe(0);
  });

  it('accepts a typed array in `transfer` and moves its buffer', async () => {
    const ex = make<Behaviour, { byteLength: number }>({ workers: 1 });
    const data = new Uint8Array(1024).fill(1);
    await ex.run({ op: 'input-bytes', data }, { transfer: [data] });
    expect(data.buffer.byteLength).toBe(0);
  });

  it('copies an input buffer that is not transferred', async () => {
    const ex = make<Behaviour, { byteLength: number }>({ workers: 1 });
    const data = new Uint8Array(1024).fill(1);
    await ex.run({ op: 'input-bytes', data });
    expect(data.byteLength).toBe(1024);
  });

  it('moves a result buffer back: the worker-side buffer is detached', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1 });
    const bytes = (await ex.run({ op: 'stash-bytes', size: MIB })) as Uint8Array;
    expect(bytes.byteLength).toBe(MIB);
    expect(bytes[MIB - 1]).toBe(7);
    await expect(ex.run({ op: 'stash-detached' })).resolves.toEqual({
      byteLength: 0,
      bufferByteLength: 0,
    });
  });

  it('copies result buffers when transferResults is false', async () => {
    const ex = make<Behaviour, unknown>({ workers: 1, transferResults: false });
    await ex.run({ op: 'stash-bytes', size: MIB });
    await expect(ex.run({ op: 'stash-detached' })).resolves.toEqual({
      byteLength: MIB,
      bufferByteLength: MIB,
    });
  });

  it('moves buffers nested in objects and arrays', async () => {
    const ex = make<Behaviour, { meta: { size: number }; parts: Uint8Array[] }>({ workers: 1 });
    const result = await ex.run({ op: 'bytes', size: 4096, fill: 9, nested: true });
    expect(result.meta.size).toBe(4096);
    expect(result.parts[0]!.byteLength).toBe(4096);
    expect(result.parts[0]!.every((b) => b === 9)).toBe(true);
  });
});

describe('JobExecutor plain JavaScript modules and named exports', () => {
  it('runs a .js module loaded with import()', async () => {
    const ex = make<number, number>({
      module: (await import('./executor-harness.js')).DOUBLE_JS,
      workers: 1,
    });
    await expect(ex.run(21)).resolves.toBe(42);
  });

  it('runs the export named by `name`', async () => {
    const ex = make<number, number>({ module: DOUBLE_JS, name: 'triple', workers: 1 });
    await expect(ex.run(3)).resolves.toBe(9);
  });
});

describe('JobExecutor.map read-ahead', () => {
  /** Ten jobs that run until aborted; `read.n` counts the items taken from the source. */
  function* blocking(read: { n: number }): Generator<Behaviour> {
    for (let i = 0; i < 10; i++) {
      read.n++;
      yield { op: 'wait-abort' };
    }
  }

  for (const [ordered, expected] of [
    [true, 4],
    [false, 2],
  ] as const) {
    it(`reads ${expected} items ahead by default when ${ordered ? 'ordered' : 'unordered'} (capacity 2)`, async () => {
      const ex = make({ workers: 1, maxQueue: 1 });
      const read = { n: 0 };
      const controller = new AbortController();
      const iterator = ex.map(blocking(read), { ordered, signal: controller.signal });
      const first = iterator.next();
      await until(() => ex.report().running === 1 && read.n === expected);
      // Give the map a few more turns to read further if it were going to.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(read.n).toBe(expected);
      expect(ex.report()).toMatchObject({ running: 1, queued: 1, waiting: expected - 2 });
      const reason = new Error('seen enough');
      controller.abort(reason);
      await expect(first).rejects.toBe(reason);
    });
  }
});
