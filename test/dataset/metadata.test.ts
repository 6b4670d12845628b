import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freezeMetadata, metadataProblem, sameMetadataValue } from '../../src/dataset/metadata.js';
import type { Metadata } from '../../src/dataset/index.js';
import { metadata, numRuns } from './arbitraries.js';

describe('metadata', () => {
  it('accepts any JSON object and freezes a deep copy that survives JSON unchanged', () => {
    fc.assert(
      fc.property(metadata, (m) => {
        expect(metadataProblem(m, 'metadata')).toBeUndefined();
        const frozen = freezeMetadata(m);
        expect(frozen).toEqual(m);
        expect(JSON.parse(JSON.stringify(frozen))).toEqual(frozen);
        expect(sameMetadataValue(frozen, m)).toBe(true);
      }),
      { numRuns },
    );
  });

  it.each([
    [{ a: undefined }, 'metadata.a'],
    [{ a: () => 1 }, 'metadata.a'],
    [{ a: 1n }, 'metadata.a'],
    [{ a: { b: [Infinity] } }, 'metadata.a.b[0]'],
    [{ a: new Map() }, 'metadata.a'],
    [{ a: new Uint8Array(2) }, 'metadata.a'],
    ['text', 'metadata'],
    [null, 'metadata'],
  ])('finds the first non-JSON value in %o', (value, where) => {
    expect(metadataProblem(value, 'metadata')?.name).toBe(where);
  });

  it('reports a cycle instead of recursing forever', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(metadataProblem(cyclic, 'metadata')).toEqual({
      name: 'metadata.self',
      value: '[circular]',
    });
  });

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 };
    expect(metadataProblem({ a: shared, b: shared }, 'm')).toBeUndefined();
    const bare = Object.assign(Object.create(null) as object, { x: 1 });
    expect(metadataProblem({ bare }, 'm')).toBeUndefined();
  });

  it('keeps a `__proto__` key as data and turns -0 into 0', () => {
    const m = JSON.parse('{"__proto__": {"polluted": true}, "z": -0}') as Metadata;
    const frozen = freezeMetadata(m);
    expect(Object.keys(frozen)).toEqual(['__proto__', 'z']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.is(frozen['z'], 0)).toBe(true);
  });

  it('compares values deeply, ignoring key order', () => {
    expect(sameMetadataValue({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(
      true,
    );
    expect(sameMetadataValue({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(sameMetadataValue({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameMetadataValue([1], { 0: 1 })).toBe(false);
    expect(sameMetadataValue('1', 1)).toBe(false);
  });
});
