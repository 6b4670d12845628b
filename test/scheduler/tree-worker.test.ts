/**
 * The worker module of the loader tree, called in-process: built-ins and user modules resolved
 * by name, a missing export reported as a failure, and a cached image per file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import type { PatientData } from '../../src/loaders/loader-context.js';
import type { JobContext } from '../../src/pool/job-context.js';
import type { CollectResult, LoadResult, ResolvedSpec } from '../../src/scheduler/tree-job.js';
import treeJob, { openImageCount, workerTeardown } from '../../src/scheduler/tree-worker.js';
import { syntheticSlidePath } from '../helpers/synthetic-slides.js';

let patient: PatientData;
beforeAll(async () => {
  const path = await syntheticSlidePath({ width: 2048, height: 2048, tileSize: 256, seed: 1 });
  patient = { id: 'p', metadata: {}, records: [{ name: 'wsi', path, metadata: {} }] };
});

const context = (): JobContext => ({ signal: new AbortController().signal }) as JobContext;

function builtin(spec: { builtin: string; options: unknown }): ResolvedSpec {
  return { kind: 'builtin', name: spec.builtin, options: spec.options };
}

const js = (source: string): string => `data:text/javascript,${encodeURIComponent(source)}`;

function load(loader: ResolvedSpec, index = 0): Promise<LoadResult> {
  return treeJob(
    {
      kind: 'load',
      patient,
      tenure: 1,
      index,
      seed: 1,
      checkpoint: undefined,
      lastMessage: undefined,
      loader,
      reader: { reader: 'sharp' },
    },
    context(),
  ) as Promise<LoadResult>;
}

describe('tree worker', () => {
  it('runs the built-in loader, then the built-in collector on its shared big chunk', async () => {
    const loaded = await load(builtin(randomRegion({ width: 128, height: 96 }) as never));
    if (!loaded.ok) throw new Error(loaded.failure.message);
    expect([loaded.big.width, loaded.big.height, loaded.big.channels]).toEqual([128, 96, 3]);
    const collected = (await treeJob(
      {
        kind: 'collect',
        patient,
        tenure: 1,
        index: 0,
        seed: 1,
        checkpoint: undefined,
        lastMessage: undefined,
        collector: builtin(randomPatches({ width: 16, height: 16, perBigChunk: 5 }) as never),
        reader: { reader: 'sharp' },
        big: loaded.big,
        startCall: 0,
        budget: 100,
        maxCalls: 100,
      },
      context(),
    )) as CollectResult;
    expect(collected.chunks).toHaveLength(5);
    expect(collected.finished).toBe(true);
    expect(collected.failure).toBeUndefined();
  });

  it('imports a user module once and calls the named export', async () => {
    const href = js(`
      let imports = (globalThis.__treeWorkerImports ?? 0) + 1;
      globalThis.__treeWorkerImports = imports;
      export function flat(patient, ctx) {
        return { data: new Uint8Array(3).fill(ctx.options.v), width: 1, height: 1, channels: 3, info: { extra: imports } };
      }`);
    const spec: ResolvedSpec = { kind: 'module', href, export: 'flat', options: { v: 7 } };
    const a = await load(spec, 0);
    const b = await load(spec, 1);
    if (!a.ok || !b.ok) throw new Error('expected big chunks');
    expect([...new Uint8Array(a.big.pixels)]).toEqual([7, 7, 7]);
    expect([a.big.info.extra, b.big.info.extra]).toEqual([1, 1]);
  });

  it('reports a module without the named export as a failure naming it', async () => {
    const href = js('export const notAFunction = 1;');
    const r = await load({ kind: 'module', href, export: 'notAFunction', options: undefined });
    expect(r).toMatchObject({
      ok: false,
      failure: {
        name: 'TypeError',
        message: `TypeError: Expected ${href} to export a big-chunk loader function as \`notAFunction\`, got number`,
      },
    });
  });

  it('reports an unknown built-in as a failure', async () => {
    const r = await load({ kind: 'builtin', name: 'grid', options: {} });
    expect(r).toMatchObject({
      ok: false,
      failure: { message: 'TypeError: Unknown built-in big-chunk loader "grid"' },
    });
  });

  it('opens each file once and reuses the image for later jobs', async () => {
    const href = js(`
      export async function same(patient, ctx) {
        const a = await ctx.openImage();
        const b = await ctx.openImage('wsi');
        return { data: new Uint8Array(3), width: 1, height: 1, channels: 3, info: { extra: a === b && a === (globalThis.__treeWorkerImage ??= a) } };
      }`);
    const spec: ResolvedSpec = { kind: 'module', href, export: 'same', options: undefined };
    for (const index of [0, 1]) {
      const r = await load(spec, index);
      if (!r.ok) throw new Error(r.failure.message);
      expect(r.big.info.extra).toBe(true);
    }
  });

  it('closes every image it keeps open on workerTeardown (debug mode calls it on close)', async () => {
    const images: { readonly closed: boolean }[] = [];
    const href = js(`
      export async function keep(patient, ctx) {
        (globalThis.__treeWorkerKept ??= []).push(await ctx.openImage());
        return { data: new Uint8Array(3), width: 1, height: 1, channels: 3 };
      }`);
    const r = await load({ kind: 'module', href, export: 'keep', options: undefined });
    expect(r.ok).toBe(true);
    images.push(...((globalThis as Record<string, unknown>)['__treeWorkerKept'] as typeof images));
    expect(openImageCount()).toBeGreaterThan(0);
    await workerTeardown();
    expect(openImageCount()).toBe(0);
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((img) => img.closed)).toBe(true);
  });
});
