import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  executorFactory,
  listenerLeakWarnings,
  settled,
  until,
  type Behaviour,
} from './executor-harness.js';

const make = executorFactory();

function listeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('JobExecutor.run abort matrix', () => {
  it('rejects at once with the reason of an already aborted signal, creating no job', async () => {
    const ex = make({ workers: 1 });
    const reason = new Error('already');
    const signal = AbortSignal.abort(reason);
    await expect(ex.run({ op: 'echo', value: 1 }, { signal })).rejects.toBe(reason);
    expect(ex.report()).toMatchObject({
      completed: 0,
      failed: 0,
      cancelled: 0,
      queued: 0,
      running: 0,
    });
    expect(listeners(signal)).toBe(0);
  });

  it('removes a job aborted while waiting for room, with its reason, and frees nothing else', async () => {
    const ex = make({ workers: 1, maxQueue: 0 });
    const first = ex.run({ op: 'sleep', ms: 150, value: 'first' });
    const controller = new AbortController();
    const waiting = ex.run({ op: 'echo', value: 'never' }, { signal: controller.signal });
    await until(() => ex.report().waiting === 1);
    expect(listeners(controller.signal)).toBe(1);
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(ex.report()).toMatchObject({ waiting: 0, cancelled: 1 });
    expect(listeners(controller.signal)).toBe(0);
    await expect(first).resolves.toBe('first');
  });

  it('removes a job aborted while queued, with its reason', async () => {
    const ex = make({ workers: 1, maxQueue: 1 });
    const first = ex.run({ op: 'sleep', ms: 150, value: 'first' });
    const controller = new AbortController();
    const queued = ex.run({ op: 'echo', value: 'never' }, { signal: controller.signal });
    await until(() => ex.report().queued === 1);
    const reason = new Error('stop queued');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    expect(ex.report()).toMatchObject({ queued: 0, cancelled: 1 });
    expect(listeners(controller.signal)).toBe(0);
    await expect(first).resolves.toBe('first');
    expect(ex.report()).toMatchObject({ completed: 1, restarts: 0 });
  });

  it('tells a running job through its signal, answers the caller with the reason, and keeps the worker', async () => {
    const ex = make({ workers: 1 });
    await ex.run({ op: 'echo', value: 'warm' });
    const controller = new AbortController();
    const running = ex.run({ op: 'wait-abort' }, { signal: controller.signal });
    await until(() => ex.report().workers[0]?.state === 'busy');
    const reason = new Error('stop running');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(listeners(controller.signal)).toBe(0);
    const log = (await ex.run({ op: 'aborted-log' })) as { job: number; reason: string }[];
    expect(log).toHaveLength(1);
    expect(log[0]!.reason).toBe('AbortError: The job was aborted');
    expect(ex.report()).toMatchObject({ restarts: 0, cancelled: 1, running: 0 });
  });

  it('terminates and replaces the worker of a running job that ignores its signal, after the grace period', async () => {
    const ex = make({ workers: 1, abortGraceMs: 30 });
    await ex.run({ op: 'echo', value: 'warm' });
    const controller = new AbortController();
    const running = ex.run({ op: 'spin', ms: 20_000 }, { signal: controller.signal });
    await until(() => ex.report().workers[0]?.state === 'busy');
    const reason = new Error('stop spinning');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await until(() => ex.report().restarts === 1 && ex.report().running === 0);
    await expect(ex.run({ op: 'echo', value: 'after' })).resolves.toBe('after');
    expect(ex.report().workers[0]!.generation).toBe(1);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('removes its listener once a job completes normally', async () => {
    const ex = make({ workers: 1 });
    const controller = new AbortController();
    await expect(ex.run({ op: 'echo', value: 1 }, { signal: controller.signal })).resolves.toBe(1);
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    expect(ex.report()).toMatchObject({ completed: 1, cancelled: 0 });
  });
  it('lets any number of jobs share one signal with one listener and no leak warning', async () => {
    const ex = make({ workers: 2, maxQueue: 4 });
    const controller = new AbortController();
    const reason = new Error('stop them all');
    let rejected: PromiseSettledResult<unknown>[] = [];
    const warnings = await listenerLeakWarnings(async () => {
      const jobs = Array.from({ length: 20 }, () =>
        ex.run({ op: 'wait-abort' }, { signal: controller.signal }),
      );
      await until(() => ex.report().running === 2);
      expect(listeners(controller.signal)).toBe(1);
      controller.abort(reason);
      rejected = await Promise.allSettled(jobs);
    });
    expect(warnings).toEqual([]);
    expect(rejected.map((r): unknown => (r.status === 'rejected' ? r.reason : r.value))).toEqual(
      Array.from({ length: 20 }, () => reason),
    );
    expect(listeners(controller.signal)).toBe(0);
    const done = new AbortController();
    const values = Array.from({ length: 20 }, (_, i) =>
      ex.run({ op: 'echo', value: i }, { signal: done.signal }),
    );
    await expect(Promise.all(values)).resolves.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(listeners(done.signal)).toBe(0);
  });
});

describe('JobExecutor.map abort matrix', () => {
  function* recorded(items: readonly Behaviour[], log: string[]): Generator<Behaviour> {
    try {
      for (const item of items) {
        log.push('pulled');
        yield item;
      }
    } finally {
      log.push('closed');
    }
  }

  it('rejects the first next() with the reason of an already aborted signal, without reading the source', async () => {
    const ex = make({ workers: 1 });
    const log: string[] = [];
    const reason = new Error('already');
    const signal = AbortSignal.abort(reason);
    const iterator = ex.map(recorded([{ op: 'echo', value: 1 }], log), { signal });
    await expect(iterator.next()).rejects.toBe(reason);
    expect(log).toEqual([]);
    expect(listeners(signal)).toBe(0);
    expect(ex.report().completed + ex.report().cancelled).toBe(0);
  });

  it('drops jobs aborted while waiting for room or queued, rejects with the reason and closes the source', async () => {
    const ex = make({ workers: 1, maxQueue: 1 });
    const log: string[] = [];
    const controller = new AbortController();
    const items: Behaviour[] = [
      { op: 'wait-abort' },
      { op: 'echo', value: 'queued' },
      { op: 'echo', value: 'waiting' },
    ];
    const iterator = ex.map(recorded(items, log), { signal: controller.signal, concurrency: 3 });
    const first = iterator.next();
    await until(
      () =>
        ex.report().workers[0]?.state === 'busy' &&
        ex.report().queued === 1 &&
        ex.report().waiting === 1,
    );
    const reason = new Error('stop the map');
    controller.abort(reason);
    await expect(first).rejects.toBe(reason);
    expect(log).toEqual(['pulled', 'pulled', 'pulled', 'closed']);
    // The job aborted in tinypool's queue is skipped by the worker once it is free, a moment
    // after the running one ends: wait for both counts (until() fails if they never get there).
    await until(() => ex.report().running === 0 && ex.report().queued === 0);
    expect(ex.report()).toMatchObject({
      waiting: 0,
      queued: 0,
      cancelled: 3,
      completed: 0,
      restarts: 0,
    });
    expect(listeners(controller.signal)).toBe(0);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('tells running jobs through their signal when aborted while running', async () => {
    const ex = make({ workers: 2 });
    const controller = new AbortController();
    const iterator = ex.map([{ op: 'wait-abort' }, { op: 'wait-abort' }] as Behaviour[], {
      signal: controller.signal,
    });
    const first = iterator.next();
    await until(() => ex.report().workers.every((w) => w.state === 'busy'));
    const reason = new Error('stop running jobs');
    controller.abort(reason);
    await expect(first).rejects.toBe(reason);
    await until(() => ex.report().running === 0);
    expect(ex.report()).toMatchObject({ cancelled: 2, restarts: 0 });
    expect(listeners(controller.signal)).toBe(0);
  });

  it('aborts pending jobs and closes the source when the consumer breaks', async () => {
    const ex = make({ workers: 2, abortGraceMs: 20 });
    const log: string[] = [];
    const items: Behaviour[] = [
      { op: 'echo', value: 'first' },
      { op: 'wait-abort' },
      { op: 'wait-abort' },
      { op: 'echo', value: 'x' },
    ];
    const controller = new AbortController();
    const got: unknown[] = [];
    for await (const value of ex.map(recorded(items, log), {
      signal: controller.signal,
      concurrency: 3,
    })) {
      got.push(value);
      break;
    }
    expect(got).toEqual(['first']);
    expect(log.at(-1)).toBe('closed');
    expect(log.filter((l) => l === 'pulled').length).toBeLessThanOrEqual(3);
    await until(
      () => ex.report().running === 0 && ex.report().waiting === 0 && ex.report().queued === 0,
    );
    expect(ex.report().completed).toBe(1);
    expect(ex.report().cancelled).toBeGreaterThanOrEqual(1);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('removes its listener when the map completes', async () => {
    const ex = make({ workers: 1 });
    const controller = new AbortController();
    const results: unknown[] = [];
    for await (const v of ex.map([{ op: 'echo', value: 1 }] as Behaviour[], {
      signal: controller.signal,
    }))
      results.push(v);
    expect(results).toEqual([1]);
    expect(listeners(controller.signal)).toBe(0);
  });
});

describe('JobExecutor.reset', () => {
  it('drops waiting and queued jobs and aborts running ones with SessionResetError, delivering none of them', async () => {
    const ex = make({ workers: 1, maxQueue: 1 });
    const outcomes: unknown[] = [];
    ex.results$.subscribe((o) => outcomes.push(o));
    const running = settled(ex.run({ op: 'wait-abort' }));
    const queued = settled(ex.run({ op: 'echo', value: 'queued' }));
    const waiting = settled(ex.run({ op: 'echo', value: 'waiting' }));
    await until(
      () =>
        ex.report().workers[0]?.state === 'busy' &&
        ex.report().queued === 1 &&
        ex.report().waiting === 1,
    );
    ex.reset();
    for (const result of await Promise.all([running, queued, waiting])) {
      expect(result.ok).toBe(false);
      expect((result as { error: { code?: string } }).error.code).toBe('ERR_SESSION_RESET');
    }
    await until(() => ex.report().running === 0);
    expect(outcomes).toEqual([]);
    expect(ex.report()).toMatchObject({ session: 1, cancelled: 3, restarts: 0 });
    const log = (await ex.run({ op: 'aborted-log' })) as { reason: string }[];
    expect(log.map((l) => l.reason)).toEqual(['AbortError: The job session was reset']);
    expect(outcomes).toHaveLength(1);
  });
});
