/**
 * Ending a LightDL: `break`, `close()`, a second consumer, aborting the signal, and a process
 * that can exit on its own afterwards.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import { ExecutorClosedError } from '../../src/errors.js';
import type { Batch } from '../../src/scheduler/batch.js';
import type { LightDLStats } from '../../src/scheduler/light-dl-stats.js';
import {
  SMALL,
  lightDLFactory,
  slideDataset,
  until,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

/** Ref'd timers alive in this process (what keeps it from exiting). */
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('LightDL teardown', { timeout: 40_000 }, () => {
  it('closes everything after a break out of for await: no worker, no timer', async () => {
    const dataset = await slideDataset(3);
    const before = timers();
    const dl = make({ ...SMALL, dataset, rescheduleIntervalMs: 50, statsIntervalMs: 10 });
    const stats = dl.stats$.subscribe();
    let n = 0;
    for await (const _ of dl) if (++n === 4) break;
    await dl.close();
    const s = dl.stats();
    expect(s.closed).toBe(true);
    expect(s.pool!.state).toBe('closed');
    expect(s.pool!.liveWorkers).toBe(0);
    expect(s.pool!.running).toBe(0);
    expect(s.scheduler.closed).toBe(true);
    expect(stats.closed).toBe(true);
    await until(() => timers() <= before, 'timers to be cleared');
  });

  it('completes stats$ with a last, closed snapshot as soon as the loader is closed', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2), statsIntervalMs: 600_000 });
    const snapshots: LightDLStats[] = [];
    const done = new Promise<void>((resolve) =>
      dl.stats$.subscribe({ next: (s) => snapshots.push(s), complete: resolve }),
    );
    await walk(dl, (_, n) => n < 10);
    await dl.close();
    await done;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.closed).toBe(true);
    expect(snapshots[0]!.pool!.liveWorkers).toBe(0);
    expect(snapshots[0]!.smallChunksDelivered).toBeGreaterThanOrEqual(10);
  });

  it('close() is idempotent and a closed loader cannot be consumed again', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2) });
    await walk(dl, (_, n) => n < 10);
    const first = dl.close();
    expect(dl.close()).toBe(first);
    await first;
    await dl.close();
    const again = await failureOf(walk(dl, () => true));
    expect(again).toBeInstanceOf(ExecutorClosedError);
    let error: unknown;
    dl.batches$.subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(ExecutorClosedError);
    expect((error as ExecutorClosedError).code).toBe('ERR_EXECUTOR_CLOSED');
  });

  it('closes when never consumed, and when closed before consuming', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(1) });
    expect(dl.stats().started).toBe(false);
    expect(dl.stats().pool).toBeUndefined();
    await dl[Symbol.asyncDispose]();
    expect(dl.stats().closed).toBe(true);
    expect(await failureOf(walk(dl, () => true))).toBeInstanceOf(ExecutorClosedError);
  });

  it('refuses a second consumer while the first is active, which carries on', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2) });
    const got: SmallChunk[] = [];
    const first = dl.smallChunks$.subscribeWithDemand((c) => got.push(c));
    first.request(8);
    let second: unknown;
    dl.batches$.subscribe({ error: (e: unknown) => (second = e) });
    expect(second).toBeInstanceOf(TypeError);
    expect((second as TypeError).message).toBe(
      'Expected one consumer of a LightDL at a time, got a second subscription while the first is active',
    );
    await until(() => got.length === 8, 'the first consumer to get its chunks');
    expect(dl.stats().closed).toBe(false);
    first.unsubscribe();
    await dl.close();
  });

  it('ends the stream with the abort reason when the signal aborts while running', async () => {
    const controller = new AbortController();
    const dl = make({ ...SMALL, dataset: await slideDataset(2), signal: controller.signal });
    const reason = new Error('training stopped');
    const failure = await failureOf(
      walk(dl, (_, n) => {
        if (n === 12) controller.abort(reason);
        return true;
      }),
    );
    expect(failure).toBe(reason);
    await dl.close();
    expect(dl.stats().pool!.liveWorkers).toBe(0);
  });

  it('fails smallChunks$ subscribers with the abort reason too', async () => {
    const controller = new AbortController();
    const dl = make({ ...SMALL, dataset: await slideDataset(2), signal: controller.signal });
    let failure: unknown;
    const got: SmallChunk[] = [];
    dl.smallChunks$.subscribe({
      next: (c) => {
        got.push(c);
        if (got.length === 3) controller.abort('enough');
      },
      error: (e: unknown) => (failure = e),
    });
    await until(() => failure !== undefined, 'the stream to fail');
    expect(failure).toBe('enough');
    expect(got).toHaveLength(3);
  });

  it('rejects with the reason of a signal aborted before consuming', async () => {
    const controller = new AbortController();
    const reason = new Error('aborted early');
    controller.abort(reason);
    const dl = make({ ...SMALL, dataset: await slideDataset(1), signal: controller.signal });
    expect(await failureOf(walk(dl, () => true))).toBe(reason);
    expect(dl.stats().pool).toBeUndefined();
  });

  it('unsubscribing from batches$ closes the loader', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(2) });
    const got: Batch[] = [];
    const sub = dl.batches$.subscribe((b) => got.push(b));
    await until(() => got.length >= 2, 'two batches');
    sub.unsubscribe();
    await dl.close();
    expect(dl.stats().pool!.liveWorkers).toBe(0);
  });

  it('lets the process exit by itself after a break', async () => {
    const script = fileURLToPath(new URL('../fixtures/workers/tree-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // A process that cannot exit is killed after a generous limit (and the test fails).
    const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(limit);
    expect(out).toContain('closed after 5 batches');
    expect(code).toBe(0);
  });
});
