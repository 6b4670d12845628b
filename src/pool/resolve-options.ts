/**
 * Defaults, merging and validation of {@link JobExecutorOptions}, in one place: the rest of the
 * executor only sees {@link ResolvedExecutorOptions}, where nothing is `undefined`.
 *
 * @internal
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import {
  assertBoolean,
  assertInteger,
  assertNumber,
  assertOneOf,
  expected,
} from '../internal/validate.js';
import type { JobExecutorOptions } from './job-executor-options.js';

/** Every option filled in and checked; `workers` is a count, `module` an absolute URL. */
export interface ResolvedExecutorOptions {
  readonly module: string;
  readonly name: string;
  readonly workers: number;
  readonly maxQueue: number;
  readonly seed: number;
  readonly env: Readonly<Record<string, string>>;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly runtime: 'thread' | 'process';
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly abortGraceMs: number;
  readonly closeTimeoutMs: number;
  readonly transferResults: boolean;
  /** Hand each worker thread its next job ahead (threads only: `false` for processes). */
  readonly prefetch: boolean;
  readonly debug: boolean;
}

/** Environment variables `threadsPerWorker` sets. */
export const THREAD_COUNT_VARIABLES: readonly string[] = Object.freeze([
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'VECLIB_MAXIMUM_THREADS',
  'NUMEXPR_NUM_THREADS',
  'TF_NUM_INTRAOP_THREADS',
  'TF_NUM_INTEROP_THREADS',
  'UV_THREADPOOL_SIZE',
]);

const DEFAULTS = Object.freeze({
  name: 'default',
  workers: -1,
  maxQueue: undefined as number | undefined,
  seed: 0,
  env: Object.freeze({}) as Readonly<Record<string, string>>,
  threadsPerWorker: 1,
  resourceLimits: undefined as ResourceLimits | undefined,
  runtime: 'thread',
  maxRetries: 1,
  timeoutMs: Infinity,
  abortGraceMs: 1000,
  closeTimeoutMs: 10_000,
  transferResults: true,
  prefetch: true,
  debug: false,
});

/** Applies the defaults to `options` and validates the result; throws `TypeError`/`RangeError`. */
export function resolveExecutorOptions(options: JobExecutorOptions): ResolvedExecutorOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const merged = { ...DEFAULTS, ...definedOnly(options) };
  const module = resolveModule(merged.module);
  if (typeof merged.name !== 'string' || merged.name.length === 0) {
    throw new TypeError(expected('name', 'a non-empty string', merged.name));
  }
  const workers = resolveWorkers(merged.workers);
  const maxQueue =
    merged.maxQueue === undefined ? workers : assertInteger('maxQueue', merged.maxQueue, 0);
  const seed = assertInteger('seed', merged.seed, 0, 0xffffffff);
  const runtime = assertOneOf('runtime', merged.runtime, ['thread', 'process'] as const);
  const threadsPerWorker =
    merged.threadsPerWorker === null
      ? null
      : assertInteger('threadsPerWorker', merged.threadsPerWorker, 1);
  const env = resolveEnv(merged.env, threadsPerWorker);
  const { resourceLimits, execArgv } = resolveLimits(merged.resourceLimits, runtime);
  return Object.freeze({
    module,
    name: merged.name,
    workers,
    maxQueue,
    seed,
    env,
    resourceLimits,
    execArgv,
    runtime,
    maxRetries: assertInteger('maxRetries', merged.maxRetries, 0),
    timeoutMs: assertNumber('timeoutMs', merged.timeoutMs, 1),
    abortGraceMs: assertNumber('abortGraceMs', merged.abortGraceMs, 0),
    closeTimeoutMs: assertNumber('closeTimeoutMs', merged.closeTimeoutMs, 0),
    transferResults: assertBoolean('transferResults', merged.transferResults),
    prefetch: assertBoolean('prefetch', merged.prefetch) && runtime === 'thread',
    debug: assertBoolean('debug', merged.debug),
  });
}

/** The worker count `workers` stands for on a machine with `cpus` CPUs. */
export function resolveWorkers(value: unknown, cpus = os.availableParallelism()): number {
  const what = 'an integer ≥ 1, a fraction in (0, 1) or -1';
  if (typeof value !== 'number') throw new TypeError(expected('workers', what, value));
  if (value === -1) return cpus;
  if (Number.isInteger(value) && value >= 1) return value;
  if (value > 0 && value < 1) return Math.max(1, Math.floor(value * cpus));
  throw new RangeError(expected('workers', what, value));
}

function definedOnly(options: JobExecutorOptions): Partial<JobExecutorOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out;
}

function resolveModule(value: unknown): string {
  const what = 'a file path or URL';
  if (value instanceof URL) return value.href;
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(expected('module', what, value));
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    try {
      return new URL(value).href;
    } catch {
      throw new TypeError(expected('module', what, value));
    }
  }
  return pathToFileURL(path.resolve(value)).href;
}

function resolveEnv(
  value: unknown,
  threadsPerWorker: number | null,
): Readonly<Record<string, string>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(expected('env', 'an object of strings', value));
  }
  const env: Record<string, string> = {};
  for (const [key, v] of Object.entries(process.env)) if (v !== undefined) env[key] = v;
  if (threadsPerWorker !== null) {
    for (const key of THREAD_COUNT_VARIABLES) env[key] = String(threadsPerWorker);
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new TypeError(expected(`env.${key}`, 'a string', v));
    env[key] = v;
  }
  return Object.freeze(env);
}

function resolveLimits(
  value: unknown,
  runtime: 'thread' | 'process',
): { resourceLimits: ResourceLimits | undefined; execArgv: readonly string[] | undefined } {
  if (value === undefined) return { resourceLimits: undefined, execArgv: undefined };
  if (value === null || typeof value !== 'object') {
    throw new TypeError(expected('resourceLimits', 'an object', value));
  }
  const limits: Record<string, number> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    limits[key] = assertNumber(`resourceLimits.${key}`, v, 1);
  }
  if (runtime === 'thread') return { resourceLimits: Object.freeze(limits), execArgv: undefined };
  const argv: string[] = [...process.execArgv];
  for (const [key, v] of Object.entries(limits)) {
    if (key === 'maxOldGenerationSizeMb') argv.push(`--max-old-space-size=${Math.round(v)}`);
    else if (key === 'stackSizeMb') argv.push(`--stack-size=${Math.round(v * 1024)}`);
    else {
      throw new TypeError(expected(`resourceLimits.${key}`, "undefined with runtime 'process'", v));
    }
  }
  return { resourceLimits: undefined, execArgv: Object.freeze(argv) };
}
