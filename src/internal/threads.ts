/**
 * Thread priority and CPU affinity, per OS thread (Linux). The main thread is the process id;
 * every other thread of the process (worker threads, libuv's pool where sharp decodes, libvips
 * and V8 helpers) is listed under `/proc/self/task`.
 *
 * On Linux, `setpriority(PRIO_PROCESS, tid)` (Node's `os.setPriority`) sets one thread's nice
 * value, and a new thread inherits its creator's nice value and affinity.
 *
 * @internal
 */
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import { PlatformUnsupportedError } from '../errors.js';

const run = promisify(execFile);

/** Whether per-thread priority and affinity are available (Linux with /proc). */
export function threadControlSupported(): boolean {
  return process.platform === 'linux';
}

/** The OS thread id of the calling thread (Linux), or `undefined` elsewhere. */
export function currentThreadId(): number | undefined {
  if (!threadControlSupported()) return undefined;
  try {
    // Synchronously: an fs/promises call runs on a libuv pool thread, and /proc/thread-self
    // would then name that thread.
    const link = readlinkSync('/proc/thread-self');
    const tid = Number(link.slice(link.lastIndexOf('/') + 1));
    return Number.isInteger(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** OS thread ids of every thread of this process except the main thread. */
export async function otherThreadIds(): Promise<number[]> {
  if (!threadControlSupported()) return [];
  const entries = await readdir('/proc/self/task');
  return entries.map(Number).filter((tid) => Number.isInteger(tid) && tid !== process.pid);
}

/**
 * Sets the nice value (-20 … 19; higher is lower priority) of each thread. Threads that ended in
 * the meantime are skipped.
 *
 * @throws {@link PlatformUnsupportedError} when the platform cannot do it.
 */
export function setThreadsPriority(tids: readonly number[], nice: number): void {
  if (!threadControlSupported()) {
    throw new PlatformUnsupportedError(
      `Per-thread priority needs Linux; this is ${process.platform}`,
    );
  }
  for (const tid of tids) {
    try {
      os.setPriority(tid, nice);
    } catch (error) {
      if (isGone(error)) continue;
      throw new PlatformUnsupportedError(`Could not set the priority of thread ${tid} to ${nice}`, {
        cause: error,
      });
    }
  }
}

/**
 * Pins each thread to a set of CPUs with `taskset`. Threads that ended in the meantime are
 * skipped.
 *
 * @throws {@link PlatformUnsupportedError} when the platform or `taskset` cannot do it, or a CPU
 * is not online.
 */
export async function setThreadsAffinity(
  tids: readonly number[],
  cpus: readonly number[],
): Promise<void> {
  if (!threadControlSupported()) {
    throw new PlatformUnsupportedError(`CPU affinity needs Linux; this is ${process.platform}`);
  }
  const online = os.cpus().length;
  const bad = cpus.filter((c) => !Number.isInteger(c) || c < 0 || c >= online);
  if (bad.length > 0 || cpus.length === 0) {
    throw new PlatformUnsupportedError(
      `CPU set [${cpus.join(', ')}] is not a non-empty set of the ${online} online CPUs (0–${online - 1})`,
    );
  }
  const list = cpus.join(',');
  for (const tid of tids) {
    try {
      await run('taskset', ['-p', '-c', list, String(tid)]);
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr;
      if (typeof stderr === 'string' && /No such process|failed to get pid/i.test(stderr)) continue;
      throw new PlatformUnsupportedError(
        `Could not pin thread ${tid} to CPUs [${list}] with taskset`,
        { cause: error },
      );
    }
  }
}

function isGone(error: unknown): boolean {
  const code = (error as { info?: { code?: unknown }; code?: unknown }).info?.code;
  return (
    code === 'ESRCH' ||
    ((error as { code?: unknown }).code === 'ERR_SYSTEM_ERROR' && /ESRCH/.test(String(error)))
  );
}
