/**
 * LightDL's thread policy on real threads (Linux): lower priority and CPU sets for every thread
 * but the main one, applied to threads as they appear; reported once where unsupported.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PlatformUnsupportedError } from '../../src/errors.js';
import {
  otherThreadIds,
  setThreadsAffinity,
  setThreadsPriority,
} from '../../src/internal/threads.js';
import { ThreadPolicy } from '../../src/scheduler/thread-policy.js';

const linux = process.platform === 'linux';
const cpus = os.availableParallelism();
const everyCpu = [...Array(cpus).keys()];

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
  if (linux) {
    setThreadsPriority(await otherThreadIds(), 0);
    await setThreadsAffinity([process.pid, ...(await otherThreadIds())], everyCpu);
  }
});
afterAll(() => {
  if (linux) os.setPriority(process.pid, 0);
});

/** A new worker thread; resolves with its OS thread id once it runs. */
async function thread(): Promise<number> {
  const worker = new Worker(
    `const link = require('node:fs').readlinkSync('/proc/thread-self');
     require('node:worker_threads').parentPort.postMessage(Number(link.slice(link.lastIndexOf('/') + 1)));
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  workers.push(worker);
  return new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function allowedCpus(tid: number): Promise<string> {
  const status = await readFile(`/proc/self/task/${tid}/status`, 'utf8');
  return /Cpus_allowed_list:\s*(\S+)/.exec(status)![1]!;
}

const none = { workerNice: null, cpuMain: undefined, cpuWorkers: undefined } as const;

describe.runIf(linux)('ThreadPolicy (Linux)', () => {
  it('does nothing when nothing is asked', async () => {
    const policy = new ThreadPolicy(none);
    const tid = await thread();
    expect(policy.active).toBe(false);
    await expect(policy.apply()).resolves.toBeUndefined();
    expect(os.getPriority(tid)).toBe(0);
  });

  it('lowers the priority of every other thread, including threads that appear later', async () => {
    const policy = new ThreadPolicy({ ...none, workerNice: 5 });
    const early = await thread();
    await expect(policy.apply()).resolves.toBeUndefined();
    expect(os.getPriority(early)).toBe(5);
    expect(os.getPriority(process.pid)).toBe(0);
    const late = await thread();
    // A thread inherits its creator's priority: the main thread's.
    expect(os.getPriority(late)).toBe(0);
    await policy.apply();
    expect(os.getPriority(late)).toBe(5);
  });

  it('handles each thread once', async () => {
    const policy = new ThreadPolicy({ ...none, workerNice: 6 });
    const tid = await thread();
    await policy.apply();
    os.setPriority(tid, 2);
    await policy.apply();
    expect(os.getPriority(tid)).toBe(2);
  });

  it.runIf(cpus >= 2)('pins the main thread and the other threads to their CPU sets', async () => {
    const policy = new ThreadPolicy({ ...none, cpuMain: [0], cpuWorkers: [1] });
    const tid = await thread();
    await expect(policy.apply()).resolves.toBeUndefined();
    expect(await allowedCpus(process.pid)).toBe('0');
    expect(await allowedCpus(tid)).toBe('1');
  });

  it('reports a CPU set taskset cannot apply, once', async () => {
    const policy = new ThreadPolicy({ ...none, cpuWorkers: [os.cpus().length + 3] });
    await thread();
    const first = await policy.apply();
    expect(first).toBeInstanceOf(PlatformUnsupportedError);
    expect(first!.code).toBe('ERR_PLATFORM_UNSUPPORTED');
    await expect(policy.apply()).resolves.toBeUndefined();
  });
});

describe('ThreadPolicy elsewhere', () => {
  const real = Object.getOwnPropertyDescriptor(process, 'platform')!;
  afterEach(() => {
    Object.defineProperty(process, 'platform', real);
  });

  it('reports PlatformUnsupportedError once, naming the platform', async () => {
    Object.defineProperty(process, 'platform', { ...real, value: 'win32' });
    const policy = new ThreadPolicy({ ...none, workerNice: 10 });
    const first = await policy.apply();
    expect(first).toBeInstanceOf(PlatformUnsupportedError);
    expect(first!.message).toBe(
      'Thread priority and CPU affinity need Linux; this is win32 (workerNice and coreAssignment are ignored)',
    );
    await expect(policy.apply()).resolves.toBeUndefined();
  });
});
