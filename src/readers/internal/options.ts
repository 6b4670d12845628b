/**
 * Defaults and validation of the readers' options, applied in one place each.
 *
 * @internal
 */
import type { RegionRef } from '../../errors.js';
import {
  assertBoolean,
  assertInteger,
  assertOneOf,
  assertSignal,
  expected,
} from '../../internal/validate.js';
import type { ReadRegionOptions } from '../read-region-options.js';
import type { ReaderOptions } from '../reader-options.js';

/** Defaults of {@link ReaderOptions}. */
export const READER_DEFAULTS = Object.freeze({
  maxRegionPixels: 8192 * 8192,
});

/** Defaults of {@link ReadRegionOptions}. */
export const READ_REGION_DEFAULTS: Readonly<{
  alpha: boolean;
  outOfBounds: 'error' | 'pad';
  fill: number;
  shared: boolean;
}> = Object.freeze({ alpha: false, outOfBounds: 'error', fill: 255, shared: false });

/** {@link ReaderOptions} with every default applied. */
export interface FilledReaderOptions {
  readonly signal: AbortSignal | undefined;
  readonly maxRegionPixels: number;
}

/** {@link ReadRegionOptions} with every default applied. */
export interface FilledReadRegionOptions {
  readonly signal: AbortSignal | undefined;
  readonly alpha: boolean;
  readonly outOfBounds: 'error' | 'pad';
  readonly fill: number;
  readonly shared: boolean;
  readonly into: Uint8Array | undefined;
}

function assertObject(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(expected(name, 'an object', value));
  }
}

/** Merges `options` over the defaults and validates the result. */
export function fillReaderOptions(options: ReaderOptions | undefined): FilledReaderOptions {
  if (options !== undefined) assertObject('options', options);
  const merged = { ...READER_DEFAULTS, ...stripUndefined(options ?? {}) };
  return {
    signal: assertSignal('signal', options?.signal),
    maxRegionPixels: assertInteger('maxRegionPixels', merged.maxRegionPixels, 1, 2 ** 31),
  };
}

/** Merges `options` over the defaults and validates the result. */
export function fillReadRegionOptions(
  options: ReadRegionOptions | undefined,
): FilledReadRegionOptions {
  if (options !== undefined) assertObject('options', options);
  const merged = { ...READ_REGION_DEFAULTS, ...stripUndefined(options ?? {}) };
  return {
    signal: assertSignal('signal', options?.signal),
    alpha: assertBoolean('alpha', merged.alpha),
    outOfBounds: assertOneOf('outOfBounds', merged.outOfBounds, ['error', 'pad'] as const),
    fill: assertInteger('fill', merged.fill, 0, 255),
    shared: assertBoolean('shared', merged.shared),
    into: assertInto(options?.into),
  };
}

function assertInto(into: unknown): Uint8Array | undefined {
  if (into === undefined || into instanceof Uint8Array) return into;
  throw new TypeError(expected('into', 'a Uint8Array', into));
}

/** Throws unless `region` is a well-formed {@link RegionRef}; bounds are checked against the image later. */
export function assertRegion(region: unknown): RegionRef {
  assertObject('region', region);
  const r = region as Record<string, unknown>;
  const bound = 2 ** 31;
  return {
    level: assertInteger('region.level', r.level, 0),
    x: assertInteger('region.x', r.x, -bound, bound),
    y: assertInteger('region.y', r.y, -bound, bound),
    width: assertInteger('region.width', r.width, 1, bound),
    height: assertInteger('region.height', r.height, 1, bound),
  };
}

/** Throws a `TypeError` unless `path` is a non-empty string. */
export function assertPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(expected('path', 'a non-empty string', path));
  }
  return path;
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
