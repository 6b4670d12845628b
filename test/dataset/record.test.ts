import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError } from '../../src/errors.js';
import { Record as PatientRecord } from '../../src/dataset/index.js';
import { numRuns, recordInit, snapshot } from './arbitraries.js';

describe('Record', () => {
  it('keeps name, path and a copy of the metadata', () => {
    const metadata = { stain: 'H&E', mpp: [0.25, 0.25] };
    const r = new PatientRecord({ name: 'wsi', path: '/data/p1.tif', metadata });
    expect(r.name).toBe('wsi');
    expect(r.path).toBe('/data/p1.tif');
    expect(r.metadata).toEqual(metadata);
    expect(r.metadata).not.toBe(metadata);
  });

  it('is frozen, with deeply frozen metadata, and leaves the caller’s object unfrozen', () => {
    const metadata = { nested: { list: [1, 2] } };
    const r = new PatientRecord({ name: 'wsi', path: 'a.tif', metadata });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.metadata)).toBe(true);
    expect(Object.isFrozen(r.metadata['nested'])).toBe(true);
    expect(Object.isFrozen((r.metadata['nested'] as { list: number[] }).list)).toBe(true);
    expect(Object.isFrozen(metadata)).toBe(false);
    metadata.nested.list.push(3);
    expect(r.metadata).toEqual({ nested: { list: [1, 2] } });
  });

  it('defaults metadata to an empty object', () => {
    expect(new PatientRecord({ name: 'wsi', path: 'a.tif' }).metadata).toEqual({});
  });

  it.each([
    [
      { name: '', path: 'a' },
      RangeError,
      'Expected `name` to be a non-empty string, got `""` (string)',
    ],
    [
      { name: 3, path: 'a' },
      TypeError,
      'Expected `name` to be a non-empty string, got `3` (number)',
    ],
    [
      { name: 'n', path: null },
      TypeError,
      'Expected `path` to be a non-empty string, got `null` (null)',
    ],
    [
      { name: 'n', path: 'a', metadata: { when: new Date(0) } },
      TypeError,
      'Expected `metadata.when` to be a JSON value, got `"1970-01-01T00:00:00.000Z"` (object)',
    ],
    [
      { name: 'n', path: 'a', metadata: { x: [1, Number.NaN] } },
      TypeError,
      'Expected `metadata.x[1]` to be a JSON value, got `NaN` (number)',
    ],
    [
      { name: 'n', path: 'a', metadata: [1] },
      TypeError,
      'Expected `metadata` to be a plain object of JSON values, got `[1]` (array)',
    ],
  ])('rejects an invalid init %j', (init, type, message) => {
    expect(() => new PatientRecord(init as never)).toThrow(type);
    expect(() => new PatientRecord(init as never)).toThrow(message);
  });

  it('with() returns a new record and leaves the original unchanged', () => {
    const r = new PatientRecord({ name: 'wsi', path: 'a.tif', metadata: { a: 1 } });
    const moved = r.with({ path: 'b.tif' });
    expect(moved).not.toBe(r);
    expect(moved.toJSON()).toEqual({ name: 'wsi', path: 'b.tif', metadata: { a: 1 } });
    expect(r.path).toBe('a.tif');
  });

  it('round-trips through JSON for arbitrary records', () => {
    fc.assert(
      fc.property(recordInit, (init) => {
        const before = snapshot(init);
        const r = new PatientRecord(init);
        const back = PatientRecord.fromJSON(JSON.parse(JSON.stringify(r)));
        expect(back.toJSON()).toEqual(r.toJSON());
        expect(PatientRecord.fromJSON(JSON.stringify(r)).toJSON()).toEqual(r.toJSON());
        expect(init).toEqual(before);
      }),
      { numRuns },
    );
  });

  it('fromJSON reports every invalid field at once', () => {
    const err = (() => {
      try {
        PatientRecord.fromJSON({ name: '', path: 12, metadata: { ok: true }, extra: 1 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DatasetError);
    const e = err as DatasetError;
    expect(e.code).toBe('ERR_DATASET_INVALID');
    expect(e.issues.map((i) => i.message)).toEqual([
      'Unknown key `extra` (allowed: `name`, `path`, `metadata`)',
      'Expected `name` to be a non-empty string, got `""` (string)',
      'Expected `path` to be a non-empty string, got `12` (number)',
    ]);
  });

  it('fromJSON reports malformed JSON text', () => {
    expect(() => PatientRecord.fromJSON('{"name":')).toThrow(/Malformed JSON/);
  });
});
