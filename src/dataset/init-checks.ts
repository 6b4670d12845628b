/**
 * Programmer-error checks for the constructors of the dataset tier, with the house message shape.
 *
 * @internal
 * @module
 */
import { expected } from '../internal/validate.js';
import { freezeMetadata, metadataProblem } from './metadata.js';
import type { Metadata } from './types.js';

/** Throws a `TypeError` unless `value` is a string, a `RangeError` if it is empty. */
export function assertNonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(expected(name, 'a non-empty string', value));
  if (value.length === 0) throw new RangeError(expected(name, 'a non-empty string', value));
  return value;
}

/** Throws a `TypeError` unless `value` is a non-null object. */
export function assertObject(name: string, value: unknown): object {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(expected(name, 'an object', value));
  }
  return value;
}

/** Checks and deep-freezes metadata, `{}` when `undefined`; throws a `TypeError` naming the key. */
export function checkedMetadata(name: string, value: unknown): Metadata {
  if (value === undefined) return freezeMetadata({});
  const problem = metadataProblem(value, name);
  if (problem !== undefined) {
    const what = problem.name === name ? 'a plain object of JSON values' : 'a JSON value';
    throw new TypeError(expected(problem.name, what, problem.value));
  }
  return freezeMetadata(value as Metadata);
}
