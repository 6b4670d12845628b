/**
 * LightDL's options: defaults filled in one place, and every programmer error refused at once
 * (at construction, before any worker starts) with the house message shape.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { Dataset } from '../../src/dataset/index.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import { resolveWorkers } from '../../src/pool/resolve-options.js';
import { collateBatch } from '../../src/scheduler/collate-batch.js';
import { LightDL } from '../../src/scheduler/light-dl.js';
import type { LightDLOptions } from '../../src/scheduler/light-dl-options.js';
import { resolveLightDLOptions } from '../../src/scheduler/resolve-light-dl-options.js';

const dataset = Dataset.fromPatients('opts', [
  { id: 'a', metadata: { label: 'tumor', w: 2 }, records: [{ name: 'wsi', path: 'slides/a.tif' }] },
  {
    id: 'b',
    metadata: { label: 'normal', w: 0.5 },
    records: [{ name: 'wsi', path: '/abs/b.tif' }],
  },
]);
const base: LightDLOptions = {
  dataset,
  bigChunkLoader: randomRegion({ width: 64, height: 64 }),
  smallChunkCollector: randomPatches({ width: 8, height: 8 }),
};

describe('resolveLightDLOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveLightDLOptions(base);
    expect(o.scheduler).toMatchObject({
      numBigChunkLoaders: 4,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      rescheduleIntervalMs: 2000,
      policy: 'pydmed',
      onSwap: 'drain',
      maxPendingMessages: 16,
      seed: 0,
      maxInFlight: resolveWorkers(-1),
    });
    expect(o).toMatchObject({
      batchSize: 32,
      emitPartialBatch: true,
      prefetchBatches: 2,
      seed: 0,
      workers: -1,
      jobTimeoutMs: 60_000,
      maxRetries: 1,
      reader: { reader: 'auto' },
      workerNice: 10,
      cpuMain: undefined,
      cpuWorkers: undefined,
      servedLogSize: 100_000,
      statsIntervalMs: 1000,
      debug: false,
      signal: undefined,
    });
    expect(o.collate).toBe(collateBatch);
    expect(o.loader).toEqual({
      kind: 'builtin',
      name: 'randomRegion',
      options: { level: 0, width: 64, height: 64, alpha: false },
    });
  });

  it('hands workers plain patients with absolute record paths, labels and weights', () => {
    const o = resolveLightDLOptions({ ...base, label: 'label', weight: 'w', policy: 'weighted' });
    expect(o.patients.get('a')!.records[0]!.path).toBe(path.resolve('slides/a.tif'));
    expect(o.patients.get('b')!.records[0]!.path).toBe('/abs/b.tif');
    expect(o.scheduler.patients).toEqual([
      { id: 'a', label: 'tumor', weight: 2 },
      { id: 'b', label: 'normal', weight: 0.5 },
    ]);
    const byFunction = resolveLightDLOptions({
      ...base,
      label: (p) => (p.id === 'a' ? 'x' : undefined),
      weight: (p) => (p.id === 'a' ? 3 : 1),
    });
    expect(byFunction.scheduler.patients).toEqual([
      { id: 'a', label: 'x', weight: 3 },
      { id: 'b', weight: 1 },
    ]);
  });

  it('sizes the loads in flight with the executor’s own worker count, or maxInFlightLoads', () => {
    expect(resolveLightDLOptions({ ...base, workers: 0.75 }).scheduler.maxInFlight).toBe(
      resolveWorkers(0.75),
    );
    expect(resolveLightDLOptions({ ...base, workers: 3 }).scheduler.maxInFlight).toBe(3);
    expect(
      resolveLightDLOptions({ ...base, workers: 3, maxInFlightLoads: 1 }).scheduler.maxInFlight,
    ).toBe(1);
  });

  it('names a module by file URL, resolving relative paths, with the default export by default', () => {
    const o = resolveLightDLOptions({
      ...base,
      bigChunkLoader: { module: 'loaders/mine.js', options: { n: 1 } },
      smallChunkCollector: { module: new URL('file:///x/c.js'), export: 'cut' },
    });
    expect(o.loader).toEqual({
      kind: 'module',
      href: pathToFileURL(path.resolve('loaders/mine.js')).href,
      export: 'default',
      options: { n: 1 },
    });
    expect(o.collector).toEqual({
      kind: 'module',
      href: 'file:///x/c.js',
      export: 'cut',
      options: undefined,
    });
  });

  it('merges the worker CPU sets of coreAssignment', () => {
    const o = resolveLightDLOptions({
      ...base,
      coreAssignment: { main: [0], loaders: [1], collectors: [0, 1] },
    });
    expect(o.cpuMain).toEqual([0]);
    expect(o.cpuWorkers).toEqual([0, 1]);
  });

  const bad: readonly (readonly [
    string,
    Partial<Record<keyof LightDLOptions, unknown>>,
    ErrorConstructor,
    string,
  ])[] = [
    ['options', { dataset: [] }, TypeError, 'Expected `dataset` to be a Dataset, got `[]` (array)'],
    [
      'numBigChunkLoaders',
      { numBigChunkLoaders: 0 },
      RangeError,
      'Expected `numBigChunkLoaders` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'maxLengthQueueSmallChunk',
      { maxLengthQueueSmallChunk: 0 },
      RangeError,
      'Expected `maxLengthQueueSmallChunk` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'maxLengthQueueLightDL',
      { maxLengthQueueLightDL: 1.5 },
      RangeError,
      'Expected `maxLengthQueueLightDL` to be an integer ≥ 1, got `1.5` (number)',
    ],
    [
      'rescheduleIntervalMs',
      { rescheduleIntervalMs: -1 },
      RangeError,
      'Expected `rescheduleIntervalMs` to be a number > 0, or Infinity to never swap, got `-1` (number)',
    ],
    [
      'batchSize',
      { batchSize: 0 },
      RangeError,
      'Expected `batchSize` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'policy',
      { policy: 'nope' },
      TypeError,
      "Expected `policy` to be one of 'pydmed', 'weighted', 'label-balanced', 'round-robin' or a function, got `\"nope\"` (string)",
    ],
    [
      'onSwap',
      { onSwap: 'keep' },
      TypeError,
      "Expected `onSwap` to be one of 'drain', 'discard', got `\"keep\"` (string)",
    ],
    [
      'failure',
      { failure: { maxConsecutiveFailures: 0 } },
      RangeError,
      'Expected `failure.maxConsecutiveFailures` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'maxPendingMessages',
      { maxPendingMessages: 0 },
      RangeError,
      'Expected `maxPendingMessages` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'workers (type)',
      { workers: 'two' },
      TypeError,
      'Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `"two"` (string)',
    ],
    [
      'workers (range)',
      { workers: 0 },
      RangeError,
      'Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `0` (number)',
    ],
    [
      'maxInFlightLoads',
      { maxInFlightLoads: 0 },
      RangeError,
      'Expected `maxInFlightLoads` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'jobTimeoutMs',
      { jobTimeoutMs: 0 },
      RangeError,
      'Expected `jobTimeoutMs` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'seed',
      { seed: 1.5 },
      RangeError,
      'Expected `seed` to be an integer between -2147483648 and 4294967295, got `1.5` (number)',
    ],
    [
      'workerNice',
      { workerNice: 25 },
      RangeError,
      'Expected `workerNice` to be an integer between 0 and 19, got `25` (number)',
    ],
    [
      'statsIntervalMs',
      { statsIntervalMs: 1 },
      RangeError,
      'Expected `statsIntervalMs` to be an integer ≥ 10, got `1` (number)',
    ],
    [
      'reader',
      { reader: 'openslide' },
      TypeError,
      "Expected `reader` to be one of 'auto', 'sharp', 'utif2', got `\"openslide\"` (string)",
    ],
    ['collate', { collate: 3 }, TypeError, 'Expected `collate` to be a function, got `3` (number)'],
    [
      'emitPartialBatch',
      { emitPartialBatch: 'yes' },
      TypeError,
      'Expected `emitPartialBatch` to be a boolean, got `"yes"` (string)',
    ],
    [
      'signal',
      { signal: {} },
      TypeError,
      'Expected `signal` to be an AbortSignal, got `{}` (object)',
    ],
    [
      'servedLogSize',
      { servedLogSize: -1 },
      RangeError,
      'Expected `servedLogSize` to be an integer ≥ 0, got `-1` (number)',
    ],
    [
      'bigChunkLoader.module',
      { bigChunkLoader: { module: '' } },
      TypeError,
      'Expected `bigChunkLoader.module` to be a file path or URL, got `""` (string)',
    ],
    [
      'smallChunkCollector.builtin',
      { smallChunkCollector: { builtin: 'grid', options: {} } },
      TypeError,
      'Expected `smallChunkCollector.builtin` to be one of \'randomPatches\', got `"grid"` (string)',
    ],
    [
      'loader options not cloneable',
      { bigChunkLoader: { module: 'x.js', options: { f: () => 1 } } },
      TypeError,
      'Expected `bigChunkLoader.options` to be structured-cloneable, got `{}` (object)',
    ],
    [
      'weight',
      { weight: () => -1, policy: 'weighted' },
      RangeError,
      'Expected `weight of patient "a"` to be a finite number ≥ 0, got `-1` (number)',
    ],
    [
      'coreAssignment',
      { coreAssignment: { main: [] } },
      RangeError,
      `Expected \`coreAssignment.main\` to be a non-empty array of CPU indices in 0–${os.cpus().length - 1}, got \`[]\` (array)`,
    ],
  ];

  it.each(bad)('refuses a bad %s with the house message', (_, options, type, message) => {
    const attempt = (): unknown => new LightDL({ ...base, ...options } as LightDLOptions);
    expect(attempt).toThrow(type);
    expect(attempt).toThrow(message);
  });

  it('refuses an empty dataset', () => {
    const empty = Dataset.fromPatients('none', []);
    expect(() => resolveLightDLOptions({ ...base, dataset: empty })).toThrow(
      'Expected `dataset` to be a dataset with at least one patient, got `"none"` (string)',
    );
  });
});
