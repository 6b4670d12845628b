import { fc, test } from '@fast-check/vitest';
import { getEventListeners } from 'node:events';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Settlement } from '../../src/pool/core-job.js';
import type { ResolvedMapOptions, SubmitJob } from '../../src/pool/executor-map.js';
import { runAllJobs } from '../../src/pool/executor-run-all.js';
import { listenerLeakWarnings, numRuns } from './executor-harness.js';

interface FakeJob {
  readonly input: number;
  /** The map aborted it (through the function `submit` returned), with `reason`. */
  aborted: boolean;
  reason: unknown;
  settle(settlement: Settlement): void;
}

function fakeSubmit(): { submit: SubmitJob; jobs: FakeJob[] } {
  const jobs: FakeJob[] = [];
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
  return { submit, jobs };
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

async function ticks(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe('runAllJobs', () => {
  it('keeps at most `concurrency` jobs pending and collects results by position', async () => {
    const { submit, jobs } = fakeSubmit();
    const all = runAllJobs<number, string>([1, 2, 3], options({ concurrency: 2 }), submit);
    expect(jobs).toHaveLength(2);
    jobs[1]!.settle({ ok: true, value: 'two' });
    expect(jobs).toHaveLength(3);
    jobs[2]!.settle({ ok: true, value: 'three' });
    jobs[0]!.settle({ ok: true, value: 'one' });
    await expect(all).resolves.toEqual(['one', 'two', 'three']);
  });

  it('listens on its signal once however many jobs are pending, and stops listening when it ends', async () => {
    const controller = new AbortController();
    const warnings = await listenerLeakWarnings(async () => {
      const { submit, jobs } = fakeSubmit();
      const inputs = Array.from({ length: 16 }, (_, i) => i);
      const all = runAllJobs<number, number>(
        inputs,
        options({ concurrency: 16, signal: controller.signal }),
        submit,
      );
      expect(jobs).toHaveLength(16);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      for (const job of jobs) job.settle({ ok: true, value: job.input });
      await expect(all).resolves.toEqual(inputs);
    });
    expect(warnings).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the first failure and aborts the other pending jobs', async () => {
    const { submit, jobs } = fakeSubmit();
    const all = runAllJobs<number, string>([1, 2, 3], options({ concurrency: 3 }), submit);
    const failure = new Error('third failed');
    jobs[2]!.settle({ ok: false, error: failure });
    await expect(all).rejects.toBe(failure);
    expect(jobs[0]!.aborted).toBe(true);
  });

  it('resolves with every outcome with settle', async () => {
    const { submit, jobs } = fakeSubmit();
    const all = runAllJobs<number, string>([1, 2], options({ settle: true }), submit);
    jobs[0]!.settle({ ok: false, error: 'bad' });
    jobs[1]!.settle({ ok: true, value: null });
    await expect(all).resolves.toEqual([
      { id: 1, index: 0, ok: false, error: 'bad' },
      { id: 2, index: 1, ok: true, result: null },
    ]);
  });

  it('rejects with the abort reason, aborts its jobs, closes the source and removes its listener', async () => {
    const { submit, jobs } = fakeSubmit();
    const controller = new AbortController();
    let closed = false;
    function* source(): Generator<number> {
      try {
        yield 1;
        yield 2;
        yield 3;
      } finally {
        closed = true;
      }
    }
    const all = runAllJobs<number, string>(
      source(),
      options({ signal: controller.signal }),
      submit,
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(all).rejects.toBe(reason);
    expect(jobs.every((j) => j.aborted)).toBe(true);
    expect(closed).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(runAllJobs([1], options({ signal: controller.signal }), submit)).rejects.toBe(
      reason,
    );
  });

  it('reads async iterables and Observables, and forwards source errors', async () => {
    const echo: SubmitJob = (input, _o, onSettle) => {
      onSettle({ ok: true, value: input }, 1);
      return () => {};
    };
    async function* gen(): AsyncGenerator<number> {
      yield 1;
      yield 2;
    }
    await expect(runAllJobs(gen(), options(), echo)).resolves.toEqual([1, 2]);
    await expect(runAllJobs(from([3, 4, 5]), options(), echo)).resolves.toEqual([3, 4, 5]);
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error('source broke');
    }
    await expect(runAllJobs(broken(), options(), echo)).rejects.toThrow('source broke');
    await expect(runAllJobs([], options(), echo)).resolves.toEqual([]);
  });

  test.prop(
    [
      fc.array(fc.integer(), { maxLength: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.infiniteStream(fc.integer({ min: 0, max: 10 })),
    ],
    { numRuns: numRuns(100) },
  )(
    'collects every result in source order, whatever the completion order, within its concurrency',
    async (inputs, concurrency, delays) => {
      let pending = 0;
      let maxPending = 0;
      const delay = delays[Symbol.iterator]();
      const submit: SubmitJob = (input, _o, onSettle) => {
        pending++;
        maxPending = Math.max(maxPending, pending);
        const wait = delay.next().value as number;
        void (async () => {
          for (let i = 0; i < wait; i++) await Promise.resolve();
          pending--;
          onSettle({ ok: true, value: (input as number) * 3 }, 0);
        })();
        return () => {};
      };
      await expect(runAllJobs(inputs, options({ concurrency }), submit)).resolves.toEqual(
        inputs.map((i) => i * 3),
      );
      expect(maxPending).toBeLessThanOrEqual(concurrency);
      await ticks();
    },
  );
});
