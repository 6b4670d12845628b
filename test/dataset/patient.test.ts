import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError } from '../../src/errors.js';
import { Patient, Record as PatientRecord } from '../../src/dataset/index.js';
import { numRuns, patientInit, snapshot } from './arbitraries.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('Patient', () => {
  const init = {
    id: 'p1',
    metadata: { label: 'tumor' },
    records: [
      { name: 'wsi', path: '/data/p1.tif' },
      { name: 'mask', path: '/data/p1-mask.png' },
    ],
  };

  it('keeps id, metadata and records in the given order', () => {
    const p = new Patient(init);
    expect(p.id).toBe('p1');
    expect(p.metadata).toEqual({ label: 'tumor' });
    expect(p.recordNames).toEqual(['wsi', 'mask']);
    expect(p.records[0]).toBeInstanceOf(PatientRecord);
    expect(p.record('mask').path).toBe('/data/p1-mask.png');
    expect(p.hasRecord('wsi')).toBe(true);
    expect(p.hasRecord('he')).toBe(false);
  });

  it('accepts Record instances and keeps them as they are', () => {
    const wsi = new PatientRecord({ name: 'wsi', path: 'a.tif' });
    expect(new Patient({ id: 'p', records: [wsi] }).record('wsi')).toBe(wsi);
  });

  it('record() throws a DatasetError naming the patient and the missing record', () => {
    const e = caught(() => new Patient(init).record('he')) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.code).toBe('ERR_DATASET_INVALID');
    expect(e.context).toEqual({ patient: 'p1', record: 'he' });
    expect(e.message).toBe(
      'No such record (the patient has "wsi", "mask") [patient "p1", record "he"]',
    );
    expect(e.issues).toEqual([
      { message: 'Patient "p1" has no record "he"', patient: 'p1', record: 'he' },
    ]);
  });

  it('record() on a patient without records says so', () => {
    const e = caught(() => new Patient({ id: 'p0' }).record('wsi')) as DatasetError;
    expect(e.message).toBe(
      'No such record (the patient has no records) [patient "p0", record "wsi"]',
    );
  });

  it('is frozen and never shares the caller’s arrays or objects', () => {
    const given = snapshot(init);
    const records = given.records;
    const p = new Patient(given);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.records)).toBe(true);
    expect(Object.isFrozen(p.metadata)).toBe(true);
    expect(p.records).not.toBe(records);
    records.pop();
    given.metadata.label = 'normal';
    expect(p.recordNames).toEqual(['wsi', 'mask']);
    expect(p.metadata['label']).toBe('tumor');
    expect(Object.isFrozen(given.metadata)).toBe(false);
  });

  it.each([
    [{ id: '' }, RangeError, 'Expected `id` to be a non-empty string, got `""` (string)'],
    [{ id: 7 }, TypeError, 'Expected `id` to be a non-empty string, got `7` (number)'],
    [
      { id: 'p', records: 'wsi' },
      TypeError,
      'Expected `records` to be an array, got `"wsi"` (string)',
    ],
    [
      {
        id: 'p',
        records: [
          { name: 'a', path: 'x' },
          { name: 'a', path: 'y' },
        ],
      },
      RangeError,
      'Expected `records` to be records with distinct names, got `"a"` (string)',
    ],
    [null, TypeError, 'Expected `init` to be an object, got `null` (null)'],
  ])('rejects an invalid init %j', (bad, type, message) => {
    expect(() => new Patient(bad as never)).toThrow(type);
    expect(() => new Patient(bad as never)).toThrow(message);
  });

  it('with() returns a new patient and leaves the original unchanged', () => {
    const p = new Patient(init);
    const q = p.with({ metadata: { label: 'normal' } });
    expect(q.metadata).toEqual({ label: 'normal' });
    q.records.forEach((r, i) => expect(r).toBe(p.records[i])); // records are shared, not copied
    expect(p.metadata).toEqual({ label: 'tumor' });
  });

  it('originalId is the id, or metadata.repeatOf for a repeat', () => {
    expect(new Patient({ id: 'p1' }).originalId).toBe('p1');
    expect(new Patient({ id: 'p1#r2', metadata: { repeatOf: 'p1' } }).originalId).toBe('p1');
  });

  it('round-trips through JSON (and structured clone of the JSON) for arbitrary patients', () => {
    fc.assert(
      fc.property(patientInit, (pi) => {
        const before = snapshot(pi);
        const p = new Patient(pi);
        const json = p.toJSON();
        expect(Patient.fromJSON(JSON.parse(JSON.stringify(p))).toJSON()).toEqual(json);
        expect(Patient.fromJSON(structuredClone(json)).toJSON()).toEqual(json);
        expect(pi).toEqual(before);
      }),
      { numRuns },
    );
  });

  it('fromJSON reports every problem with its path', () => {
    const e = caught(() =>
      Patient.fromJSON({
        id: 'p1',
        metadata: { ok: 1 },
        records: [{ name: 'wsi', path: 'a' }, { name: 'wsi', path: 'b' }, { name: 'm' }],
      }),
    ) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues).toEqual([
      { patient: 'p1', record: 'wsi', message: 'Duplicate record name "wsi" at `records[1]`' },
      {
        patient: 'p1',
        record: 'm',
        message: 'Expected `records[2].path` to be a non-empty string, got `undefined` (undefined)',
      },
    ]);
  });
});
