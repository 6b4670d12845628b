/**
 * LightDL applies its thread policy to the threads it brings (workers, libuv's pool where sharp
 * decodes): a lower priority and CPU sets, leaving the main thread alone (Linux).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { LightdlError } from '../../src/errors.js';
import {
  otherThreadIds,
  setThreadsAffinity,
  setThreadsPriority,
} from '../../src/internal/threads.js';
import {
  SMALL,
  lightDLFactory,
  slideDataset,
  until,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();
const linux = process.platform === 'linux';
const cpus = os.availableParallelism();

afterEach(async () => {
  if (!linux) return;
  setThreadsPriority(await otherThreadIds(), 0);
  await setThreadsAffinity([process.pid, ...(await otherThreadIds())], [...Array(cpus).keys()]);
});

/** Nice values of the other threads still alive (a thread may end while being read). */
async function niceValues(): Promise<number[]> {
  const out: number[] = [];
  for (const tid of await otherThreadIds()) {
    try {
      out.push(os.getPriority(tid));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

async function allowed(tid: number): Promise<string | undefined> {
  try {
    const status = await readFile(`/proc/self/task/${tid}/status`, 'utf8');
    return /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
  } catch {
    return undefined;
  }
}

describe.runIf(linux)('LightDL thread policy (Linux)', () => {
  it('gives every thread but the main one the workerNice priority', async () => {
    const dl = make({
      ...SMALL,
      dataset: await slideDataset(2),
      workerNice: 7,
      statsIntervalMs: 10,
    });
    const errors: LightdlError[] = [];
    dl.errors$.subscribe((e) => errors.push(e));
    // Keep the loader running until the policy has caught up with every thread.
    const sub = dl.smallChunks$.subscribeWithDemand(() => {});
    sub.request(200);
    let values: number[] = [];
    let polls = 0;
    await until(() => {
      if (++polls % 5 === 0) void niceValues().then((v) => (values = v));
      return values.length > 0 && values.every((n) => n === 7);
    }, 'every other thread at nice 7');
    expect(os.getPriority(process.pid)).toBe(0);
    expect(errors).toEqual([]);
    sub.unsubscribe();
  });

  it('leaves priorities alone with workerNice: null', async () => {
    const dl = make({
      ...SMALL,
      dataset: await slideDataset(2),
      workerNice: null,
      statsIntervalMs: 10,
    });
    await walk(dl, (_, n) => n < 40);
    expect((await niceValues()).every((n) => n === 0)).toBe(true);
  });

  it.runIf(cpus >= 2)(
    'pins the main thread and the others to their coreAssignment sets',
    async () => {
      const dl = make({
        ...SMALL,
        dataset: await slideDataset(2),
        workerNice: null,
        coreAssignment: { main: [0], loaders: [1] },
        statsIntervalMs: 10,
      });
      const sub = dl.smallChunks$.subscribeWithDemand(() => {});
      sub.request(200);
      let sets: (string | undefined)[] = [];
      let main: string | undefined;
      let polls = 0;
      await until(() => {
        if (++polls % 5 === 0) {
          void otherThreadIds()
            .then((tids) => Promise.all(tids.map(allowed)))
            .then((s) => (sets = s.filter((x) => x !== undefined)));
          void allowed(process.pid).then((m) => (main = m));
        }
        return main === '0' && sets.length > 0 && sets.every((s) => s === '1');
      }, 'the main thread on CPU 0 and every other thread on CPU 1');
      sub.unsubscribe();
    },
  );
});
