/**
 * Per-thread priority and CPU affinity on Linux, checked on real threads through /proc, and the
 * refusal elsewhere (the platform is faked for that).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PlatformUnsupportedError } from '../../src/errors.js';
import {
  currentThreadId,
  otherThreadIds,
  setThreadsAffinity,
  setThreadsPriority,
  threadControlSupported,
} from '../../src/internal/threads.js';

const linux = process.platform === 'linux';
const cpus = os.availableParallelism();

/** A worker thread that reports its OS thread id, and stays until terminated. */
async function spawnThread(): Promise<{ tid: number; worker: Worker }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const link = require('node:fs').readlinkSync('/proc/thread-self');
     parentPort.postMessage(Number(link.slice(link.lastIndexOf('/') + 1)));
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  const tid = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { tid, worker };
}

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});
afterAll(async () => {
  // Leave this process's threads as they were found.
  if (linux) {
    setThreadsPriority(await otherThreadIds(), 0);
    await setThreadsAffinity(await otherThreadIds(), [...Array(cpus).keys()]);
  }
});

async function thread(): Promise<number> {
  const { tid, worker } = await spawnThread();
  workers.push(worker);
  return tid;
}

async function allowedCpus(tid: number): Promise<string> {
  const status = await readFile(`/proc/self/task/${tid}/status`, 'utf8');
  return /Cpus_allowed_list:\s*(\S+)/.exec(status)![1]!;
}

describe.runIf(linux)('threads (Linux)', () => {
  it('knows the main thread by the process id and lists the others', async () => {
    expect(threadControlSupported()).toBe(true);
    expect(currentThreadId()).toBe(process.pid);
    const tid = await thread();
    const others = await otherThreadIds();
    expect(others).toContain(tid);
    expect(others).not.toContain(process.pid);
  });

  it('sets the nice value of one thread, leaving the main thread alone', async () => {
    const [a, b] = [await thread(), await thread()];
    setThreadsPriority([a], 7);
    expect(os.getPriority(a)).toBe(7);
    expect(os.getPriority(b)).toBe(0);
    expect(os.getPriority(process.pid)).toBe(0);
  });

  it('skips a thread that ended in the meantime', async () => {
    const { tid, worker } = await spawnThread();
    await worker.terminate();
    expect(() => setThreadsPriority([tid], 5)).not.toThrow();
    await expect(setThreadsAffinity([tid], [0])).resolves.toBeUndefined();
  });

  it('pins a thread to a CPU set with taskset', async () => {
    const tid = await thread();
    await setThreadsAffinity([tid], [0]);
    expect(await allowedCpus(tid)).toBe('0');
    await setThreadsAffinity([tid], [...Array(cpus).keys()]);
    expect(await allowedCpus(tid)).toBe(cpus === 1 ? '0' : `0-${cpus - 1}`);
  });

  it('refuses a CPU set that is empty or names an offline CPU', async () => {
    const tid = await thread();
    await expect(setThreadsAffinity([tid], [])).rejects.toThrow(PlatformUnsupportedError);
    await expect(setThreadsAffinity([tid], [os.cpus().length])).rejects.toThrow(
      `CPU set [${os.cpus().length}] is not a non-empty set of the ${os.cpus().length} online CPUs`,
    );
  });
});

describe('threads elsewhere', () => {
  const real = Object.getOwnPropertyDescriptor(process, 'platform')!;
  afterEach(() => {
    Object.defineProperty(process, 'platform', real);
  });

  it('refuses priority and affinity with PlatformUnsupportedError and lists no thread', async () => {
    Object.defineProperty(process, 'platform', { ...real, value: 'darwin' });
    expect(threadControlSupported()).toBe(false);
    expect(currentThreadId()).toBeUndefined();
    expect(await otherThreadIds()).toEqual([]);
    expect(() => setThreadsPriority([1], 5)).toThrow(
      new PlatformUnsupportedError('Per-thread priority needs Linux; this is darwin'),
    );
    await expect(setThreadsAffinity([1], [0])).rejects.toThrow(
      new PlatformUnsupportedError('CPU affinity needs Linux; this is darwin'),
    );
  });
});
