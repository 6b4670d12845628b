import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  JobTimeoutError,
  SessionResetError,
  WorkerExitedError,
  WorkerOutOfMemoryError,
} from '../../src/errors.js';
import type { Settlement } from '../../src/pool/core-job.js';
import { ExecutorCore, type Submission } from '../../src/pool/executor-core.js';
import { resolveExecutorOptions } from '../../src/pool/resolve-options.js';
import { numRuns } from './executor-harness.js';
import { FakeBackend } from './fake-backend.js';

interface Harness {
  readonly core: ExecutorCore;
  readonly backend: FakeBackend;
  submit(options?: Partial<Submission> & { wait?: boolean }): Tracked;
}

interface Tracked {
  readonly accepted: boolean;
  readonly settlements: Settlement[];
  readonly controller: AbortController;
}

function harness(options: {
  workers: number;
  maxQueue: number;
  maxRetries?: number;
  abortGraceMs?: number;
}): Harness {
  const resolved = resolveExecutorOptions({ module: 'data:text/javascript,', ...options });
  let backend!: FakeBackend;
  const core = new ExecutorCore(resolved, (o, events) => (backend = new FakeBackend(o, events)));
  return {
    core,
    backend,
    submit(extra = {}) {
      const controller = new AbortController();
      const settlements: Settlement[] = [];
      const accepted = core.submit(
        {
          input: extra.input ?? null,
          transfer: extra.transfer ?? [],
          signal: extra.signal ?? controller.signal,
          timeoutMs: extra.timeoutMs ?? Infinity,
          index: undefined,
          onSettle: (s) => settlements.push(s),
        },
        extra.wait ?? true,
      );
      return { accepted, settlements, controller };
    },
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ExecutorCore', () => {
  it('runs at most `workers` jobs, hands one more per worker ahead, queues the rest, and makes later callers wait', async () => {
    const h = harness({ workers: 2, maxQueue: 2 });
    const jobs = Array.from({ length: 6 }, () => h.submit());
    expect(h.backend.started).toHaveLength(2);
    expect(h.backend.inFlight).toHaveLength(4);
    expect(h.core.report()).toMatchObject({ running: 2, queued: 2, waiting: 2 });
    h.backend.started[0]!.reply('first');
    await flush();
    expect(jobs[0]!.settlements).toEqual([{ ok: true, value: 'first' }]);
    expect(h.core.report()).toMatchObject({ running: 2, queued: 2, waiting: 1, completed: 1 });
    expect(h.backend.dispatches.map((d) => d.task.j)).toEqual([1, 2, 3, 4, 5]);
  });

  it('hands nothing ahead when maxQueue is 0', () => {
    const h = harness({ workers: 2, maxQueue: 0 });
    for (let i = 0; i < 4; i++) h.submit();
    expect(h.backend.inFlight).toHaveLength(2);
    expect(h.core.report()).toMatchObject({ running: 2, queued: 0, waiting: 2 });
  });

  it('re-runs a job whose worker died ahead of the queue, up to maxRetries, then fails it', async () => {
    const h = harness({ workers: 1, maxQueue: 0, maxRetries: 1 });
    const [a, b] = [h.submit(), h.submit()];
    h.backend.started[0]!.die('exited');
    await flush();
    expect(h.backend.started[0]!.task).toMatchObject({ j: 1, a: 2 });
    h.backend.started[0]!.die('out-of-memory');
    await flush();
    expect(a.settlements).toHaveLength(1);
    const error = (a.settlements[0] as { error: unknown }).error;
    expect(error).toBeInstanceOf(WorkerOutOfMemoryError);
    expect((error as WorkerOutOfMemoryError).context).toMatchObject({ job: 1, attempt: 2 });
    expect(h.backend.started[0]!.task).toMatchObject({ j: 2, a: 1 });
    expect(b.settlements).toEqual([]);
    expect(h.core.report()).toMatchObject({ retried: 1, restarts: 2, failed: 1 });
  });

  it('does not re-run a job whose input was transferred', async () => {
    const h = harness({ workers: 1, maxQueue: 0, maxRetries: 3 });
    const a = h.submit({ transfer: [new ArrayBuffer(8)] });
    h.backend.inFlight[0]!.die('crashed');
    await flush();
    expect((a.settlements[0] as { error: unknown }).error).toBeInstanceOf(WorkerExitedError);
    expect(h.core.report().retried).toBe(0);
  });

  it('keeps an aborted running job in its place until its worker is free, stopping it after the grace period', async () => {
    const h = harness({ workers: 1, maxQueue: 0, abortGraceMs: 100 });
    const a = h.submit();
    const b = h.submit();
    const reason = new Error('stop');
    a.controller.abort(reason);
    expect(a.settlements).toEqual([{ ok: false, error: reason }]);
    expect(h.backend.aborts).toEqual([{ d: h.backend.dispatches[0]!.task.d, job: 1, code: 1 }]);
    expect(h.core.report()).toMatchObject({ running: 1, waiting: 1, cancelled: 1 });
    await vi.advanceTimersByTimeAsync(99);
    expect(h.backend.dispatches[0]!.stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(h.backend.dispatches[0]!.stopped).toBe(true);
    expect(h.backend.inFlight.map((d) => d.task.j)).toEqual([2]);
    expect(b.settlements).toEqual([]);
    expect(a.settlements).toHaveLength(1);
  });

  it('takes back a job handed over ahead of time when it is aborted, freeing its place at once', async () => {
    const h = harness({ workers: 1, maxQueue: 1 });
    h.submit();
    const b = h.submit();
    const c = h.submit();
    expect(h.core.report()).toMatchObject({ running: 1, queued: 1, waiting: 1 });
    b.controller.abort(new Error('never mind'));
    await flush();
    expect(b.settlements).toHaveLength(1);
    expect(h.backend.dispatches[1]!.stopped).toBe(false);
    expect(h.backend.inFlight.map((d) => d.task.j)).toEqual([1, 3]);
    expect(c.settlements).toEqual([]);
    expect(h.core.report()).toMatchObject({ running: 1, queued: 1, waiting: 0, cancelled: 1 });
  });

  it('does not stop the worker of an aborted job that has not started yet, but does once it has', async () => {
    const h = harness({ workers: 1, maxQueue: 0, abortGraceMs: 100 });
    h.backend.workersUp = false;
    h.backend.unqueueable = false;
    const a = h.submit();
    a.controller.abort(new Error('early'));
    await vi.advanceTimersByTimeAsync(350);
    expect(h.backend.dispatches[0]!.stopped).toBe(false);
    h.backend.workersUp = true;
    h.backend.promote();
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    expect(h.backend.dispatches[0]!.stopped).toBe(true);
  });

  it('counts a job’s timeout from when it starts, not from when it was handed over', async () => {
    const h = harness({ workers: 1, maxQueue: 1 });
    const a = h.submit();
    const b = h.submit({ timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(300);
    expect(b.settlements).toEqual([]);
    h.backend.started[0]!.reply('a done');
    await flush();
    expect(a.settlements).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(90);
    expect(b.settlements).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    await flush();
    expect((b.settlements[0] as { error: unknown }).error).toBeInstanceOf(JobTimeoutError);
  });

  it('fails a job past its timeout with JobTimeoutError and stops it', async () => {
    const h = harness({ workers: 1, maxQueue: 0 });
    const a = h.submit({ timeoutMs: 250 });
    await vi.advanceTimersByTimeAsync(250);
    await flush();
    const error = (a.settlements[0] as { error: unknown }).error as JobTimeoutError;
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.timeoutMs).toBe(250);
    expect(h.backend.dispatches[0]!.stopped).toBe(true);
    expect(h.core.report()).toMatchObject({ timedOut: 1, failed: 1, running: 0 });
  });

  it('drops every job of the session on reset, and delivers none of their outcomes', async () => {
    const h = harness({ workers: 1, maxQueue: 1 });
    const outcomes: unknown[] = [];
    h.core.results$.subscribe((o) => outcomes.push(o));
    const jobs = [h.submit(), h.submit(), h.submit()];
    h.core.reset();
    for (const job of jobs)
      expect((job.settlements[0] as { error: unknown }).error).toBeInstanceOf(SessionResetError);
    h.backend.inFlight[0]!.reply('stale');
    await flush();
    expect(outcomes).toEqual([]);
    const fresh = h.submit();
    h.backend.inFlight[0]!.reply('fresh');
    await flush();
    expect(fresh.settlements).toEqual([{ ok: true, value: 'fresh' }]);
    expect(outcomes).toHaveLength(1);
  });

  it('refuses without waiting when full, and never settles a refused job', () => {
    const h = harness({ workers: 1, maxQueue: 1 });
    expect(h.submit({ wait: false }).accepted).toBe(true);
    expect(h.submit({ wait: false }).accepted).toBe(true);
    const refused = h.submit({ wait: false });
    expect(refused.accepted).toBe(false);
    expect(refused.settlements).toEqual([]);
  });

  it('keeps its invariants over random sequences of submit, abort, reply, worker death, timeouts, reset and close', async () => {
    const action = fc.oneof(
      fc.record({
        t: fc.constant('submit' as const),
        wait: fc.boolean(),
        timeout: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
        transfer: fc.boolean(),
      }),
      fc.record({ t: fc.constant('abort' as const), k: fc.nat() }),
      fc.record({ t: fc.constant('reply' as const), k: fc.nat(), ok: fc.boolean() }),
      fc.record({
        t: fc.constant('die' as const),
        k: fc.nat(),
        kind: fc.constantFrom('exited' as const, 'crashed' as const, 'out-of-memory' as const),
      }),
      fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
      fc.constant({ t: 'reset' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(action, { maxLength: 60 }),
        fc.integer({ min: 0, max: 400 }),
        async (workers, maxQueue, maxRetries, actions, closeTimeout) => {
          const h = harness({ workers, maxQueue, maxRetries, abortGraceMs: 50 });
          const jobs: Tracked[] = [];
          const check = (): void => {
            const r = h.core.report();
            expect(h.backend.inFlight.length).toBeLessThanOrEqual(
              workers + Math.min(workers, maxQueue),
            );
            expect(h.backend.started.length).toBeLessThanOrEqual(workers);
            expect(r.running).toBe(h.backend.started.length);
            expect(r.queued + r.running).toBeLessThanOrEqual(workers + maxQueue);
            if (r.waiting > 0) expect(r.queued + r.running).toBe(workers + maxQueue);
            for (const job of jobs) expect(job.settlements.length).toBeLessThanOrEqual(1);
            const settled = jobs.filter((j) => j.settlements.length === 1).length;
            expect(r.completed + r.failed + r.cancelled).toBe(settled);
          };
          for (const a of actions) {
            switch (a.t) {
              case 'submit': {
                const before = h.core.report();
                const job = h.submit({
                  wait: a.wait,
                  ...(a.timeout === undefined ? {} : { timeoutMs: a.timeout }),
                  transfer: a.transfer ? [new ArrayBuffer(4)] : [],
                });
                jobs.push(job);
                if (!a.wait) {
                  // tryPut: refused exactly when every slot is taken, and never waits.
                  expect(job.accepted).toBe(before.queued + before.running < workers + maxQueue);
                  expect(h.core.report().waiting).toBe(before.waiting);
                }
                break;
              }
              case 'abort':
                if (jobs.length > 0)
                  jobs[a.k % jobs.length]!.controller.abort(new Error('aborted'));
                break;
              case 'reply': {
                const started = h.backend.started;
                const d = started[a.k % Math.max(1, started.length)];
                if (a.ok) d?.reply(a.k);
                else d?.fail('job failed');
                break;
              }
              case 'die': {
                const started = h.backend.started;
                started[a.k % Math.max(1, started.length)]?.die(a.kind);
                break;
              }
              case 'advance':
                await vi.advanceTimersByTimeAsync(a.ms);
                break;
              case 'reset':
                h.core.reset();
                break;
            }
            await flush();
            check();
          }
          const closing = h.core.close(closeTimeout);
          await flush();
          check();
          await vi.advanceTimersByTimeAsync(closeTimeout + 1);
          await closing;
          await flush();
          check();
          const accepted = jobs.filter((j) => j.accepted);
          for (const job of accepted) expect(job.settlements).toHaveLength(1);
          for (const job of jobs.filter((j) => !j.accepted))
            expect(job.settlements).toHaveLength(0);
          expect(h.core.report()).toMatchObject({
            state: 'closed',
            running: 0,
            queued: 0,
            waiting: 0,
            liveWorkers: 0,
          });
          expect(h.backend.maxInFlight).toBeLessThanOrEqual(workers + Math.min(workers, maxQueue));
          expect(h.backend.maxStarted).toBeLessThanOrEqual(workers);
          expect(h.backend.inFlight).toHaveLength(0);
        },
      ),
      { numRuns: numRuns(200) },
    );
  });
});
