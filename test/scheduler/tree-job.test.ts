/**
 * The worker side of the loader tree, run in-process with scripted loaders and collectors: what
 * a load job puts in shared memory, how a collect job spends its budget, and how user failures
 * come back as data with their context (only cancellation rejects).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { FINISHED } from '../../src/collectors/finished.js';
import type { SmallChunkCollector } from '../../src/collectors/small-chunk-collector.js';
import { ImageError } from '../../src/errors.js';
import type { BigChunkLoader } from '../../src/loaders/big-chunk-loader.js';
import type { PatientData } from '../../src/loaders/loader-context.js';
import type { OpenedImage } from '../../src/readers/index.js';
import {
  runCollectJob,
  runLoadJob,
  type CollectJob,
  type LoadJob,
  type SharedBigChunk,
  type TreeWorkerState,
} from '../../src/scheduler/tree-job.js';

const patient: PatientData = {
  id: 'p',
  metadata: {},
  records: [{ name: 'wsi', path: '/slides/p.tif', metadata: {} }],
};

function state(
  loader: BigChunkLoader,
  collector: SmallChunkCollector = () => FINISHED,
  image?: Partial<OpenedImage>,
): TreeWorkerState {
  return {
    resolveLoader: () => Promise.resolve(loader),
    resolveCollector: () => Promise.resolve(collector),
    openImage: (path) =>
      image === undefined
        ? Promise.reject(new ImageError('ERR_FILE_NOT_FOUND', 'No such file', { path }))
        : Promise.resolve(image as OpenedImage),
  };
}

const spec = { kind: 'builtin', name: 'x', options: { k: 1 } } as const;

function loadJob(extra: Partial<LoadJob> = {}): LoadJob {
  return {
    kind: 'load',
    patient,
    tenure: 3,
    index: 2,
    seed: 9,
    checkpoint: { at: 1 },
    lastMessage: 'hi',
    loader: spec,
    reader: { reader: 'auto' },
    ...extra,
  };
}

function shared(width: number, height: number, channels = 3): SharedBigChunk {
  const pixels = new SharedArrayBuffer(width * height * channels);
  new Uint8Array(pixels).forEach((_, i, a) => (a[i] = i & 0xff));
  const region = { level: 1, x: 100, y: 50, width, height };
  return {
    pixels,
    width,
    height,
    channels,
    info: { patient: 'p', tenure: 3, index: 2, region, record: 'wsi' },
  };
}

function collectJob(extra: Partial<CollectJob> = {}): CollectJob {
  return {
    kind: 'collect',
    patient,
    tenure: 3,
    index: 2,
    seed: 9,
    checkpoint: undefined,
    lastMessage: undefined,
    collector: spec,
    reader: { reader: 'auto' },
    big: shared(8, 4),
    startCall: 0,
    budget: 100,
    maxCalls: 100,
    ...extra,
  };
}

/** For collect jobs, which never load. */
const NO_LOADER: BigChunkLoader = () => {
  throw new Error('not a load job');
};

const signal = (): AbortSignal => new AbortController().signal;

describe('runLoadJob', () => {
  it("copies the loader's pixels into shared memory and stamps patient, tenure and index", async () => {
    const data = new Uint8Array(4 * 2 * 3).map((_, i) => i);
    let seen: unknown;
    const result = await runLoadJob(
      loadJob(),
      state((p, ctx) => {
        seen = {
          p: p.id,
          tenure: ctx.tenure,
          index: ctx.index,
          options: ctx.options,
          checkpoint: ctx.checkpoint,
          message: ctx.lastMessage,
        };
        return { data, width: 4, height: 2, channels: 3, info: { record: 'wsi', extra: 7 } };
      }),
      signal(),
    );
    expect(seen).toEqual({
      p: 'p',
      tenure: 3,
      index: 2,
      options: { k: 1 },
      checkpoint: { at: 1 },
      message: 'hi',
    });
    if (!result.ok) throw new Error('expected a big chunk');
    expect(result.big.pixels).toBeInstanceOf(SharedArrayBuffer);
    expect([...new Uint8Array(result.big.pixels)]).toEqual([...data]);
    expect(result.big.info).toEqual({ record: 'wsi', extra: 7, patient: 'p', tenure: 3, index: 2 });
  });

  it('runs a young garbage collection once the region is in shared memory', async () => {
    const forced: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as { detail?: { kind: number; flags: number } }).detail;
        if (
          detail !== undefined &&
          (detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0
        ) {
          forced.push(detail.kind);
        }
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    const data = new Uint8Array(4 * 2 * 3);
    const result = await runLoadJob(
      loadJob(),
      state(() => ({ data, width: 4, height: 2, channels: 3, info: { record: 'wsi' } })),
      signal(),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    expect(result.ok).toBe(true);
    expect(forced).toEqual([constants.NODE_PERFORMANCE_GC_MINOR]);
  });

  it('allocate() hands out the reuse memory when the size matches, new shared memory otherwise', async () => {
    const reuse = new SharedArrayBuffer(4 * 2 * 3);
    const handed: Uint8Array[] = [];
    const loader: BigChunkLoader = (_p, ctx) => {
      const other = ctx.allocate(5); // no match: new memory, and the reuse memory stays free
      const data = ctx.allocate(4 * 2 * 3);
      handed.push(other, data);
      data.fill(7);
      return { data, width: 4, height: 2, channels: 3 };
    };
    const result = await runLoadJob(loadJob({ reuse }), state(loader), signal());
    if (!result.ok) throw new Error('expected a big chunk');
    expect(handed[0]!.buffer).not.toBe(reuse);
    expect(handed[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(handed[0]!.byteLength).toBe(5);
    expect(result.big.pixels).toBe(reuse);
    expect([...new Uint8Array(reuse)]).toEqual(new Array(24).fill(7));
    expect(result.allocated).toBe(true);
    expect(result.reused).toBe(true);
  });

  it('marks as not allocated the memory a loader returns of its own, even when shared', async () => {
    const own = new Uint8Array(new SharedArrayBuffer(4 * 2 * 3));
    const reuse = new SharedArrayBuffer(4 * 2 * 3);
    const result = await runLoadJob(
      loadJob({ reuse }),
      state(() => ({ data: own, width: 4, height: 2, channels: 3 })),
      signal(),
    );
    if (!result.ok) throw new Error('expected a big chunk');
    expect(result.big.pixels).toBe(own.buffer);
    expect(result.allocated).toBe(false);
    expect(result.reused).toBe(false);
  });

  it('reports a bad allocate() size as the load failure', async () => {
    const result = await runLoadJob(
      loadJob(),
      state((_p, ctx) => ({ data: ctx.allocate(1.5), width: 1, height: 1, channels: 3 })),
      signal(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.name).toBe('RangeError');
    expect(result.failure.message).toContain('byteLength');
  });

  it('seeds the random source from (seed, patient, tenure, index)', async () => {
    const draw = async (job: LoadJob): Promise<number> => {
      let x = 0;
      await runLoadJob(
        job,
        state((_, ctx) => {
          x = ctx.random.int(0, 1e9);
          return { data: new Uint8Array(3), width: 1, height: 1, channels: 3 };
        }),
        signal(),
      );
      return x;
    };
    const a = await draw(loadJob());
    expect(await draw(loadJob())).toBe(a);
    const others = await Promise.all([
      draw(loadJob({ seed: 10 })),
      draw(loadJob({ tenure: 4 })),
      draw(loadJob({ index: 3 })),
      draw(loadJob({ patient: { ...patient, id: 'q' } })),
    ]);
    for (const o of others) expect(o).not.toBe(a);
  });

  it.each([
    [
      'a non-Uint8Array',
      { data: [1, 2, 3], width: 1, height: 1, channels: 3 },
      'TypeError: Expected the big chunk to have `data` as a Uint8Array',
    ],
    [
      'a wrong byte count',
      { data: new Uint8Array(5), width: 2, height: 1, channels: 3 },
      "RangeError: Expected the big chunk's data to hold 2×1×3 = 6 bytes, got 5",
    ],
    [
      'no channels',
      { data: new Uint8Array(2), width: 2, height: 1 },
      'TypeError: Expected the big chunk to have positive integer `width`, `height` and `channels`',
    ],
  ])('turns a loader returning %s into a failure', async (_, value, message) => {
    const result = await runLoadJob(
      loadJob(),
      state(() => value as never),
      signal(),
    );
    expect(result).toMatchObject({ ok: false, failure: { message } });
  });

  it("keeps a reader error's code, file and region, and the record opened", async () => {
    const region = { level: 0, x: 1, y: 2, width: 3, height: 4 };
    const image = {
      readRegion: () =>
        Promise.reject(
          new ImageError('ERR_IMAGE_DECODE', 'Cannot decode', { path: '/slides/p.tif', region }),
        ),
    };
    const result = await runLoadJob(
      loadJob(),
      state(
        async (_, ctx) => {
          const img = await ctx.openImage();
          return { ...(await img.readRegion(region)), info: {} };
        },
        undefined,
        image,
      ),
      signal(),
    );
    expect(result).toMatchObject({
      ok: false,
      failure: {
        message: 'Cannot decode',
        code: 'ERR_IMAGE_DECODE',
        name: 'ImageError',
        record: 'wsi',
        path: '/slides/p.tif',
        region,
      },
    });
  });

  it('names the record when the patient has no record of that name', async () => {
    const result = await runLoadJob(
      loadJob(),
      state(async (_, ctx) => {
        await ctx.openImage('mask');
        throw new Error('unreachable');
      }),
      signal(),
    );
    expect(result).toMatchObject({
      ok: false,
      failure: {
        code: 'ERR_LOADER_FAILED',
        message: 'Patient has no record named "mask"',
        record: 'mask',
      },
    });
  });

  it('rejects with the abort reason when cancelled, instead of reporting a failure', async () => {
    const controller = new AbortController();
    const job = runLoadJob(
      loadJob(),
      state(async (_, ctx) => {
        controller.abort(new Error('stopped'));
        ctx.signal.throwIfAborted();
        return { data: new Uint8Array(3), width: 1, height: 1, channels: 3 };
      }),
      controller.signal,
    );
    await expect(job).rejects.toThrow('stopped');
  });
});

describe('runCollectJob', () => {
  const patch = (x: number): ReturnType<SmallChunkCollector> => ({
    data: new Uint8Array(2 * 2 * 3).fill(x),
    width: 2,
    height: 2,
    info: { x, extra: { x } },
  });

  it('stops at its budget and resumes the call count from startCall', async () => {
    const calls: number[] = [];
    const r = await runCollectJob(
      collectJob({ startCall: 5, budget: 3 }),
      state(NO_LOADER, (n) => (calls.push(n), patch(n))),
      signal(),
    );
    expect(calls).toEqual([5, 6, 7]);
    expect(r.chunks.map((c) => c.info.callCount)).toEqual([5, 6, 7]);
    expect(r.nextCall).toBe(8);
    expect(r.finished).toBe(false);
  });

  it('skips null results, stops after maxCalls calls, and stops at FINISHED', async () => {
    const skipping = await runCollectJob(
      collectJob({ maxCalls: 4 }),
      state(NO_LOADER, (n) => (n === 2 ? patch(n) : null)),
      signal(),
    );
    expect(skipping.chunks).toHaveLength(1);
    expect(skipping.nextCall).toBe(4);
    const finishing = await runCollectJob(
      collectJob(),
      state(NO_LOADER, (n) => (n < 2 ? patch(n) : FINISHED)),
      signal(),
    );
    expect(finishing.chunks).toHaveLength(2);
    expect(finishing.finished).toBe(true);
    expect(finishing.nextCall).toBe(3);
  });

  it('fills small-chunk info from the big chunk, and copies views of shared memory', async () => {
    const r = await runCollectJob(
      collectJob(),
      state(NO_LOADER, (n, big) =>
        n === 0 ? { data: big.data.subarray(0, 12), width: 2, height: 2 } : FINISHED,
      ),
      signal(),
    );
    const c = r.chunks[0]!;
    expect(c.channels).toBe(3);
    expect(c.info).toMatchObject({
      patient: 'p',
      level: 1,
      x: 100,
      y: 50,
      width: 2,
      height: 2,
      callCount: 0,
    });
    expect(c.info.parent.region).toEqual({ level: 1, x: 100, y: 50, width: 8, height: 4 });
    expect(c.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...c.data]).toEqual([...Array(12).keys()]);
  });

  it('ends the big chunk after a call that says finish(), delivering what that call returned', async () => {
    const calls: number[] = [];
    const r = await runCollectJob(
      collectJob({ startCall: 1 }),
      state(NO_LOADER, (n, _, ctx) => {
        calls.push(n);
        if (n === 2) ctx.finish();
        return patch(n);
      }),
      signal(),
    );
    expect(calls).toEqual([1, 2]);
    expect(r.chunks.map((c) => c.info.callCount)).toEqual([1, 2]);
    expect(r.finished).toBe(true);
    expect(r.nextCall).toBe(3);
    // finish() in a call that skips ends it too.
    const skipped = await runCollectJob(
      collectJob(),
      state(NO_LOADER, (n, _, ctx) => (ctx.finish(), null)),
      signal(),
    );
    expect([skipped.chunks.length, skipped.finished, skipped.nextCall]).toEqual([0, true, 1]);
  });

  it('cuts allocate()d small chunks into a shared block, reported with the result', async () => {
    const r = await runCollectJob(
      collectJob({ budget: 3 }),
      state(NO_LOADER, (n, _, ctx) => {
        const data = ctx.allocate(12).fill(n + 1);
        return { data, width: 2, height: 2 };
      }),
      signal(),
    );
    const block = r.arenas?.[0];
    expect(r.arenas).toHaveLength(1);
    expect(block).toBeInstanceOf(SharedArrayBuffer);
    expect(block?.byteLength).toBe(36);
    expect(r.freshBytes).toBe(36);
    expect(r.spareArenas).toEqual([]);
    expect(r.chunks.map((c) => [c.data.buffer === block, c.data[0]])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
    ]);
  });

  it('reuses the blocks it is given, and copies small chunks that alias other memory', async () => {
    const recycled = new SharedArrayBuffer(64);
    const unused = new SharedArrayBuffer(4);
    const big = new Uint8Array(48);
    const r = await runCollectJob(
      collectJob({ budget: 4, arenas: [recycled, unused] }),
      state(NO_LOADER, (n, _, ctx) => {
        if (n === 0) return { data: ctx.allocate(12).fill(5), width: 2, height: 2 };
        // A view into a larger plain buffer would drag (and detach) all of it on transfer.
        if (n === 1) return { data: big.subarray(12, 24), width: 2, height: 2 };
        return FINISHED;
      }),
      signal(),
    );
    expect(r.arenas).toEqual([recycled]);
    // Nothing new to count as shared memory, and the block it did not need goes back.
    expect(r.freshBytes).toBe(0);
    expect(r.spareArenas).toEqual([unused]);
    expect(r.chunks[0]!.data.buffer).toBe(recycled);
    expect(r.chunks[1]!.data.buffer).not.toBe(big.buffer);
    expect(r.chunks[1]!.data.buffer.byteLength).toBe(12);
  });

  it('hands each call the checkpoint the previous one set, and returns the last checkpoint and status', async () => {
    const seen: unknown[] = [];
    const r = await runCollectJob(
      collectJob({ checkpoint: 'start', budget: 3 }),
      state(NO_LOADER, (n, _, ctx) => {
        seen.push(ctx.checkpoint);
        ctx.setCheckpoint(`after ${n}`);
        ctx.setStatus({ n });
        return patch(n);
      }),
      signal(),
    );
    expect(seen).toEqual(['start', 'after 0', 'after 1']);
    expect(r.checkpoint).toEqual({ value: 'after 2' });
    expect(r.status).toEqual({ value: { n: 2 } });
    const none = await runCollectJob(
      collectJob(),
      state(NO_LOADER, () => FINISHED),
      signal(),
    );
    expect(none.checkpoint).toBeUndefined();
    expect(none.status).toBeUndefined();
  });

  it('keeps what was produced before a throw and reports the failure with the big chunk region', async () => {
    const r = await runCollectJob(
      collectJob(),
      state(NO_LOADER, (n) => {
        if (n === 2) throw new SyntaxError('bad patch');
        return patch(n);
      }),
      signal(),
    );
    expect(r.chunks).toHaveLength(2);
    expect(r.failure).toMatchObject({
      message: 'SyntaxError: bad patch',
      name: 'SyntaxError',
      record: 'wsi',
      region: { level: 1, x: 100, y: 50, width: 8, height: 4 },
    });
  });

  it('reports a small chunk of the wrong size as a failure', async () => {
    const r = await runCollectJob(
      collectJob(),
      state(NO_LOADER, () => ({ data: new Uint8Array(5), width: 2, height: 2 })),
      signal(),
    );
    expect(r.failure?.message).toBe(
      "RangeError: Expected the small chunk's data to hold 2×2×3 = 12 bytes, got 5",
    );
  });

  it('rejects when aborted between calls', async () => {
    const controller = new AbortController();
    const job = runCollectJob(
      collectJob(),
      state(NO_LOADER, (n) => {
        if (n === 1) controller.abort(new Error('swapped out'));
        return patch(n);
      }),
      controller.signal,
    );
    await expect(job).rejects.toThrow('swapped out');
  });
});
