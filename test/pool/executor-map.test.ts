import { fc, test } from '@fast-check/vitest';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Settlement } from '../../src/pool/core-job.js';
import { mapJobs, type ResolvedMapOptions, type SubmitJob } from '../../src/pool/executor-map.js';
import type { JobOutcome } from '../../src/pool/job-outcome.js';
import { listenerLeakWarnings, numRuns } from './executor-harness.js';

interface FakeJob {
  readonly input: number;
  /** The map aborted it (through the function `submit` returned), with `reason`. */
  aborted: boolean;
  reason: unknown;
  settle(settlement: Settlement): void;
}

/** A submit whose jobs finish when the test says so. */
function fakeSubmit(): { submit: SubmitJob; jobs: FakeJob[]; pending: () => number } {
  const jobs: FakeJob[] = [];
  let settled = 0;
  let nextId = 1;
  const submit: SubmitJob = (input, _options, onSettle) => {
    const id = nextId++;
    let done = false;
    const job: FakeJob = {
      input: input as number,
      aborted: false,
      reason: undefined,
      settle(s) {
        if (done) return;
        done = true;
        settled++;
        onSettle(s, id);
      },
    };
    jobs.push(job);
    return (reason) => {
      job.aborted = true;
      job.reason = reason;
      job.settle({ ok: false, error: reason });
    };
  };
  return { submit, jobs, pending: () => jobs.length - settled };
}

function options(extra: Partial<ResolvedMapOptions<number>> = {}): ResolvedMapOptions<number> {
  return {
    ordered: true,
    concurrency: 2,
    signal: undefined,
    timeoutMs: Infinity,
    transfer: undefined,
    settle: false,
    sourceBufferSize: 16,
    ...extra,
  };
}

async function ticks(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('mapJobs', () => {
  it('never has more than `concurrency` items pending, and reads the source only to refill', async () => {
    const { submit, jobs } = fakeSubmit();
    let pulled = 0;
    function* source(): Generator<number> {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    const it = mapJobs<number, number>(source(), options({ concurrency: 2 }), submit);
    const first = it.next();
    await ticks(20);
    expect(jobs).toHaveLength(2);
    expect(pulled).toBe(2);
    jobs[1]!.settle({ ok: true, value: 10 });
    await ticks(20);
    expect(jobs).toHaveLength(2);
    jobs[0]!.settle({ ok: true, value: 0 });
    expect(await first).toEqual({ done: false, value: 0 });
    expect(await it.next()).toEqual({ done: false, value: 10 });
    // Two consumed, two slots free: the next pull refills both.
    const third = it.next();
    await ticks(20);
    expect(jobs).toHaveLength(4);
    expect(pulled).toBe(4);
    jobs[2]!.settle({ ok: true, value: 20 });
    expect(await third).toEqual({ done: false, value: 20 });
    await it.return(undefined);
    expect(jobs[3]!.aborted).toBe(true);
  });

  it('reads a synchronous source synchronously: the first next() submits as many jobs as it may', async () => {
    const { submit, jobs } = fakeSubmit();
    const it = mapJobs<number, number>([1, 2, 3, 4, 5], options({ concurrency: 3 }), submit);
    const first = it.next();
    // No promise turn has passed: only a synchronous read can have submitted these.
    expect(jobs.map((j) => j.input)).toEqual([1, 2, 3]);
    jobs[0]!.settle({ ok: true, value: 10 });
    expect(await first).toEqual({ done: false, value: 10 });
    const second = it.next();
    expect(jobs.map((j) => j.input)).toEqual([1, 2, 3, 4]);
    jobs[1]!.settle({ ok: true, value: 20 });
    expect(await second).toEqual({ done: false, value: 20 });
    await it.return(undefined);
    expect(jobs[2]!.aborted).toBe(true);
  });

  it('ends with what a synchronous source throws, and aborts the jobs already submitted', async () => {
    const { submit, jobs } = fakeSubmit();
    const failure = new Error('source broke');
    let closed = false;
    function* source(): Generator<number> {
      try {
        yield 1;
        throw failure;
      } finally {
        closed = true;
      }
    }
    const it = mapJobs<number, number>(source(), options({ concurrency: 3 }), submit);
    await expect(it.next()).rejects.toBe(failure);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.aborted).toBe(true);
    expect(closed).toBe(true);
  });

  it('listens on its signal once however many jobs are pending, and stops listening when it ends', async () => {
    const controller = new AbortController();
    const warnings = await listenerLeakWarnings(async () => {
      const { submit, jobs } = fakeSubmit();
      const inputs = Array.from({ length: 16 }, (_, i) => i);
      const it = mapJobs<number, number>(
        inputs,
        options({ concurrency: 16, signal: controller.signal }),
        submit,
      );
      const first = it.next();
      await ticks(40);
      expect(jobs).toHaveLength(16);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      for (const job of jobs) job.settle({ ok: true, value: job.input });
      expect(await first).toEqual({ done: false, value: 0 });
      await it.return(undefined);
    });
    expect(warnings).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('yields in completion order when unordered', async () => {
    const { submit, jobs } = fakeSubmit();
    const it = mapJobs<number, number>(
      [1, 2, 3],
      options({ ordered: false, concurrency: 3 }),
      submit,
    );
    const first = it.next();
    await ticks(20);
    jobs[2]!.settle({ ok: true, value: 'c' });
    expect(await first).toEqual({ done: false, value: 'c' });
    jobs[0]!.settle({ ok: true, value: 'a' });
    jobs[1]!.settle({ ok: true, value: 'b' });
    expect(await it.next()).toEqual({ done: false, value: 'a' });
    expect(await it.next()).toEqual({ done: false, value: 'b' });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('throws the first failure in its turn, after earlier results, and aborts the rest', async () => {
    const { submit, jobs } = fakeSubmit();
    const it = mapJobs<number, number>([1, 2, 3], options({ concurrency: 3 }), submit);
    const first = it.next();
    await ticks(20);
    const failure = new Error('second failed');
    jobs[1]!.settle({ ok: false, error: failure });
    jobs[0]!.settle({ ok: true, value: 'one' });
    expect(await first).toEqual({ done: false, value: 'one' });
    await expect(it.next()).rejects.toBe(failure);
    expect(jobs[2]!.aborted).toBe(true);
  });

  it('yields outcomes, failures included, with settle', async () => {
    const { submit, jobs } = fakeSubmit();
    const it = mapJobs<number, number>([5, 6], options({ settle: true }), submit);
    const first = it.next();
    await ticks(20);
    jobs[0]!.settle({ ok: false, error: 'bad' });
    jobs[1]!.settle({ ok: true, value: undefined });
    const outcomes: JobOutcome<number>[] = [(await first).value as JobOutcome<number>];
    for (let r = await it.next(); r.done !== true; r = await it.next())
      outcomes.push(r.value as JobOutcome<number>);
    expect(outcomes).toEqual([
      { id: 1, index: 0, ok: false, error: 'bad' },
      { id: 2, index: 1, ok: true, result: undefined },
    ]);
  });

  it('turns an input the submit refuses into that item’s failure', async () => {
    const submit: SubmitJob = () => {
      throw new TypeError('not cloneable');
    };
    const it = mapJobs<number, number>([1], options({ settle: true }), submit);
    const r = await it.next();
    expect(r.value).toMatchObject({ ok: false, index: 0, error: new TypeError('not cloneable') });
  });

  it('forwards a source error after aborting pending jobs', async () => {
    const { submit, jobs } = fakeSubmit();
    async function* source(): AsyncGenerator<number> {
      yield 1;
      throw new Error('source broke');
    }
    const it = mapJobs<number, number>(source(), options({ concurrency: 4 }), submit);
    await expect(it.next()).rejects.toThrow('source broke');
    expect(jobs[0]!.aborted).toBe(true);
  });

  it('forwards the error of a synchronous source that throws, after aborting pending jobs', async () => {
    const { submit, jobs } = fakeSubmit();
    let closed = false;
    function* source(): Generator<number> {
      try {
        yield 1;
        throw new Error('sync source broke');
      } finally {
        closed = true;
      }
    }
    const it = mapJobs<number, number>(source(), options({ concurrency: 4 }), submit);
    await expect(it.next()).rejects.toThrow('sync source broke');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.aborted).toBe(true);
    expect(closed).toBe(true);
  });

  it('rejects with the abort reason, aborts its jobs, closes the source and removes its listener', async () => {
    const { submit, jobs } = fakeSubmit();
    const controller = new AbortController();
    let closed = false;
    function* source(): Generator<number> {
      try {
        yield 1;
        yield 2;
      } finally {
        closed = true;
      }
    }
    const it = mapJobs<number, number>(source(), options({ signal: controller.signal }), submit);
    const first = it.next();
    await ticks(20);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(first).rejects.toBe(reason);
    expect(jobs.every((j) => j.aborted)).toBe(true);
    expect(jobs[0]!.reason).toBe(reason);
    expect(closed).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborts its pending jobs the moment its signal aborts, while the consumer holds a result', async () => {
    const { submit, jobs } = fakeSubmit();
    const controller = new AbortController();
    const it = mapJobs<number, number>(
      [1, 2, 3],
      options({ concurrency: 3, signal: controller.signal }),
      submit,
    );
    const first = it.next();
    await ticks(20);
    jobs[0]!.settle({ ok: true, value: 10 });
    expect(await first).toEqual({ done: false, value: 10 });
    // The generator now waits at its `yield` until the consumer asks again.
    const reason = new Error('stop');
    controller.abort(reason);
    expect(jobs.slice(1).map((j) => [j.aborted, j.reason])).toEqual([
      [true, reason],
      [true, reason],
    ]);
    expect(jobs[0]!.aborted).toBe(false);
    await expect(it.next()).rejects.toBe(reason);
  });

  test.prop(
    [
      fc.array(fc.integer(), { maxLength: 30 }),
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
      fc.infiniteStream(fc.integer({ min: 0, max: 12 })),
    ],
    { numRuns: numRuns(100) },
  )(
    'yields every input’s result once (in source order when ordered), holding at most `concurrency` pending',
    async (inputs, concurrency, ordered, delays) => {
      let pending = 0;
      let maxPending = 0;
      const delay = delays[Symbol.iterator]();
      const submit: SubmitJob = (input, _o, onSettle) => {
        pending++;
        maxPending = Math.max(maxPending, pending);
        const wait = delay.next().value as number;
        void (async () => {
          for (let i = 0; i < wait; i++) await Promise.resolve();
          onSettle({ ok: true, value: (input as number) * 2 }, 0);
        })();
        return () => {};
      };
      const out: number[] = [];
      for await (const v of mapJobs<number, number>(
        inputs,
        options({ ordered, concurrency }),
        submit,
      )) {
        out.push(v as number);
        pending--;
      }
      const expected = inputs.map((i) => i * 2);
      if (ordered) expect(out).toEqual(expected);
      else expect([...out].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      expect(maxPending).toBeLessThanOrEqual(concurrency);
    },
  );
});
