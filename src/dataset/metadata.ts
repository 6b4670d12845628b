/**
 * Checking and deep-freezing metadata: plain objects of JSON values only, so that metadata
 * survives `JSON.stringify` and `structuredClone` unchanged.
 *
 * @internal
 * @module
 */
import type { Metadata, MetadataValue } from './types.js';

/** Where a metadata value is not a JSON value: the dotted path and the offending value. */
export interface MetadataProblem {
  readonly name: string;
  readonly value: unknown;
}

const EMPTY: Metadata = Object.freeze({});

/** The empty, frozen metadata object. */
export function emptyMetadata(): Metadata {
  return EMPTY;
}

function isPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The first place where `value` is not a JSON value, or `undefined` if it is one. */
function findProblem(value: unknown, name: string, seen: Set<object>): MetadataProblem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { name, value };
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return { name, value: '[circular]' };
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const p = findProblem((value as readonly unknown[])[i], `${name}[${i}]`, seen);
            if (p !== undefined) return p;
          }
          return undefined;
        }
        if (!isPlainObject(value)) return { name, value };
        for (const [key, v] of Object.entries(value)) {
          const p = findProblem(v, `${name}.${key}`, seen);
          if (p !== undefined) return p;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return { name, value };
  }
}

/**
 * The first problem that keeps `value` from being metadata (a plain object of JSON values), or
 * `undefined`. `name` prefixes the reported path, e.g. `metadata.stain`.
 */
export function metadataProblem(value: unknown, name: string): MetadataProblem | undefined {
  if (!isPlainObject(value)) return { name, value };
  return findProblem(value, name, new Set());
}

function freezeValue(value: MetadataValue): MetadataValue {
  if (typeof value === 'number') return value === 0 ? 0 : value; // -0 would not survive JSON
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return Object.freeze((value as readonly MetadataValue[]).map(freezeValue));
  }
  return freezeObject(value as Metadata);
}

function freezeObject(value: Metadata): Metadata {
  const entries = Object.entries(value);
  if (entries.length === 0) return EMPTY;
  return Object.freeze(Object.fromEntries(entries.map(([k, v]) => [k, freezeValue(v)])));
}

/**
 * A deeply frozen copy of already-checked metadata (the caller's object is never frozen or kept).
 * Frozen input is still copied: it may hold references the caller mutates later.
 */
export function freezeMetadata(value: Metadata): Metadata {
  return freezeObject(value);
}

/** Deep equality of two metadata values (object key order does not matter). */
export function sameMetadataValue(a: MetadataValue, b: MetadataValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const x = a as readonly MetadataValue[];
    const y = b as readonly MetadataValue[];
    return x.length === y.length && x.every((v, i) => sameMetadataValue(v, y[i] as MetadataValue));
  }
  const x = a as Metadata;
  const y = b as Metadata;
  const keys = Object.keys(x);
  return (
    keys.length === Object.keys(y).length &&
    keys.every(
      (k) => Object.hasOwn(y, k) && sameMetadataValue(x[k] as MetadataValue, y[k] as MetadataValue),
    )
  );
}
