/**
 * Applies the defaults of `LightDLOptions` in one place and validates the result.
 *
 * @internal
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SmallChunk } from '../collectors/small-chunk.js';
import type { SmallChunkCollectorSpec } from '../collectors/small-chunk-collector.js';
import { validateRandomPatches } from '../collectors/random-patches.js';
import { Dataset } from '../dataset/index.js';
import type { Patient } from '../dataset/index.js';
import type { BigChunkLoaderSpec } from '../loaders/big-chunk-loader.js';
import { validateRandomRegion } from '../loaders/random-region.js';
import type { PatientData } from '../loaders/loader-context.js';
import {
  assertBoolean,
  assertFunction,
  assertInteger,
  assertOneOf,
  assertSignal,
  expected,
} from '../internal/validate.js';
import { resolveWorkers } from '../pool/resolve-options.js';
import type { Batch } from './batch.js';
import { collateBatch } from './collate-batch.js';
import { resolveConfig } from './internal/resolve-config.js';
import type { LightDLOptions } from './light-dl-options.js';
import type { SchedulerConfig, SchedulerPatient } from './scheduler-config.js';
import type { ResolvedSpec } from './tree-job.js';

const DEFAULTS = Object.freeze({
  numBigChunkLoaders: 4,
  maxLengthQueueSmallChunk: 64,
  maxLengthQueueLightDL: 512,
  rescheduleIntervalMs: 2000,
  batchSize: 32,
  emitPartialBatch: true,
  prefetchBatches: 2,
  seed: 0,
  policy: 'pydmed' as const,
  label: 'label',
  onSwap: 'drain' as const,
  maxPendingMessages: 16,
  workers: -1,
  jobTimeoutMs: 60_000,
  maxRetries: 1,
  reader: 'auto' as const,
  workerNice: 10,
  servedLogSize: 100_000,
  statsIntervalMs: 1000,
  debug: false,
});

/** Everything the shell needs, with no `undefined` left. */
export interface FilledLightDLOptions<B> {
  readonly patients: ReadonlyMap<string, PatientData>;
  readonly scheduler: SchedulerConfig;
  readonly loader: ResolvedSpec;
  readonly collector: ResolvedSpec;
  readonly batchSize: number;
  readonly emitPartialBatch: boolean;
  readonly collate: (chunks: SmallChunk[], index: number) => B;
  readonly prefetchBatches: number;
  readonly seed: number;
  readonly workers: number;
  readonly jobTimeoutMs: number;
  readonly maxRetries: number;
  readonly reader: {
    readonly reader: 'auto' | 'sharp' | 'utif2';
    readonly maxRegionPixels?: number;
  };
  readonly workerNice: number | null;
  readonly cpuMain: readonly number[] | undefined;
  readonly cpuWorkers: readonly number[] | undefined;
  readonly servedLogSize: number;
  readonly statsIntervalMs: number;
  readonly maxLengthQueueSmallChunk: number;
  readonly debug: boolean;
  readonly signal: AbortSignal | undefined;
}

function resolveSpec(
  name: string,
  spec: BigChunkLoaderSpec | SmallChunkCollectorSpec,
  builtins: Readonly<Record<string, (o: never) => unknown>>,
): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') {
    throw new TypeError(expected(name, 'a built-in spec or `{ module, export?, options? }`', spec));
  }
  if ('builtin' in spec) {
    const check = builtins[spec.builtin];
    if (check === undefined) {
      throw new TypeError(
        expected(
          `${name}.builtin`,
          `one of ${Object.keys(builtins)
            .map((k) => `'${k}'`)
            .join(', ')}`,
          spec.builtin,
        ),
      );
    }
    return { kind: 'builtin', name: spec.builtin, options: check(spec.options as never) };
  }
  const mod: unknown = spec.module;
  let href: string;
  if (mod instanceof URL) href = mod.href;
  else if (typeof mod === 'string' && mod !== '') {
    href =
      /^[a-z][a-z0-9+.-]*:/i.test(mod) && !/^[a-z]:[\\/]/i.test(mod)
        ? mod
        : pathToFileURL(path.resolve(mod)).href;
  } else {
    throw new TypeError(expected(`${name}.module`, 'a file path or URL', mod));
  }
  const exportName = spec.export ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError(expected(`${name}.export`, 'a non-empty string', exportName));
  }
  try {
    structuredClone(spec.options);
  } catch (error) {
    throw new TypeError(expected(`${name}.options`, 'structured-cloneable', spec.options), {
      cause: error,
    });
  }
  return { kind: 'module', href, export: exportName, options: spec.options };
}

function selector<T>(name: string, value: string | ((p: Patient) => T)): (p: Patient) => unknown {
  if (typeof value === 'string') return (p) => p.metadata[value];
  assertFunction(name, value);
  return value;
}

function cpuSet(name: string, value: unknown): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const cpus = os.cpus().length;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((c) => Number.isInteger(c) && c >= 0 && c < cpus)
  ) {
    throw new RangeError(
      expected(name, `a non-empty array of CPU indices in 0–${cpus - 1}`, value),
    );
  }
  return Object.freeze([...(value as number[])]);
}

/** Fills and validates `options`. */
export function resolveLightDLOptions<B = Batch>(
  options: LightDLOptions<B>,
): FilledLightDLOptions<B> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const o = { ...DEFAULTS, ...options };
  if (!(o.dataset instanceof Dataset)) {
    throw new TypeError(expected('dataset', 'a Dataset', o.dataset));
  }
  if (o.dataset.patients.length === 0) {
    throw new RangeError(
      expected('dataset', 'a dataset with at least one patient', o.dataset.name),
    );
  }
  const loader = resolveSpec('bigChunkLoader', o.bigChunkLoader, {
    randomRegion: validateRandomRegion,
  });
  const collector = resolveSpec('smallChunkCollector', o.smallChunkCollector, {
    randomPatches: validateRandomPatches,
  });
  const batchSize = assertInteger('batchSize', o.batchSize, 1);
  const prefetchBatches = assertInteger('prefetchBatches', o.prefetchBatches, 1);
  const seed = assertInteger('seed', o.seed, -0x80000000, 0xffffffff);
  const jobTimeoutMs = assertInteger('jobTimeoutMs', o.jobTimeoutMs, 1);
  const maxRetries = assertInteger('maxRetries', o.maxRetries, 0);
  const reader = assertOneOf('reader', o.reader, ['auto', 'sharp', 'utif2'] as const);
  if (o.maxRegionPixels !== undefined) assertInteger('maxRegionPixels', o.maxRegionPixels, 1);
  const workerNice =
    o.workerNice === null ? null : assertInteger('workerNice', o.workerNice, 0, 19);
  const servedLogSize = assertInteger('servedLogSize', o.servedLogSize, 0);
  const statsIntervalMs = assertInteger('statsIntervalMs', o.statsIntervalMs, 10);
  const debug = assertBoolean('debug', o.debug);
  const emitPartialBatch = assertBoolean('emitPartialBatch', o.emitPartialBatch);
  const signal = assertSignal('signal', o.signal);
  const collate = (o.collate ?? collateBatch) as (chunks: SmallChunk[], index: number) => B;
  assertFunction('collate', collate);
  const cores: unknown = o.coreAssignment;
  if (cores !== undefined && (cores === null || typeof cores !== 'object')) {
    throw new TypeError(expected('coreAssignment', 'an object', cores));
  }
  const workerSets = [
    cpuSet('coreAssignment.workers', o.coreAssignment?.workers),
    cpuSet('coreAssignment.loaders', o.coreAssignment?.loaders),
    cpuSet('coreAssignment.collectors', o.coreAssignment?.collectors),
  ].filter((set) => set !== undefined);
  const cpuWorkers =
    workerSets.length === 0
      ? undefined
      : Object.freeze([...new Set(workerSets.flat())].sort((a, b) => a - b));

  // The executor's own arithmetic, so the loads in flight match its workers.
  const workerCount = resolveWorkers(o.workers);
  const maxInFlight =
    o.maxInFlightLoads === undefined
      ? workerCount
      : assertInteger('maxInFlightLoads', o.maxInFlightLoads, 1);
  const labelOf = selector('label', o.label);
  const weightOf = o.weight === undefined ? undefined : selector('weight', o.weight);
  const patients = new Map<string, PatientData>();
  const schedulerPatients: SchedulerPatient[] = [];
  for (const p of o.dataset.patients) {
    const json = p.toJSON();
    patients.set(p.id, {
      ...json,
      records: json.records.map((r) => ({ ...r, path: path.resolve(r.path) })),
    });
    const label = labelOf(p);
    const weight = weightOf?.(p);
    if (
      weight !== undefined &&
      (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight))
    ) {
      throw new RangeError(
        expected(`weight of patient ${JSON.stringify(p.id)}`, 'a finite number ≥ 0', weight),
      );
    }
    schedulerPatients.push({
      id: p.id,
      ...(typeof label === 'string' || typeof label === 'number' ? { label: String(label) } : {}),
      ...(weight === undefined ? {} : { weight }),
    });
  }
  const maxLengthQueueSmallChunk = assertInteger(
    'maxLengthQueueSmallChunk',
    o.maxLengthQueueSmallChunk,
    1,
  );
  const scheduler: SchedulerConfig = {
    patients: schedulerPatients,
    numBigChunkLoaders: o.numBigChunkLoaders,
    maxLengthQueueSmallChunk,
    maxLengthQueueLightDL: o.maxLengthQueueLightDL,
    maxInFlight,
    rescheduleIntervalMs: o.rescheduleIntervalMs,
    policy: o.policy,
    onSwap: o.onSwap,
    maxPendingMessages: o.maxPendingMessages,
    seed,
    ...(o.failure === undefined ? {} : { failure: o.failure }),
  };
  // Scheduling options are programmer errors too: refuse them here, not at the first subscription.
  resolveConfig(scheduler);
  return {
    patients,
    scheduler,
    loader,
    collector,
    batchSize,
    emitPartialBatch,
    collate,
    prefetchBatches,
    seed,
    workers: o.workers,
    jobTimeoutMs,
    maxRetries,
    reader:
      o.maxRegionPixels === undefined ? { reader } : { reader, maxRegionPixels: o.maxRegionPixels },
    workerNice,
    cpuMain: cpuSet('coreAssignment.main', o.coreAssignment?.main),
    cpuWorkers,
    servedLogSize,
    statsIntervalMs,
    maxLengthQueueSmallChunk,
    debug,
    signal,
  };
}
