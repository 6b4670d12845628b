import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError } from '../../src/errors.js';
import { Dataset, Patient } from '../../src/dataset/index.js';
import type { PatientInit } from '../../src/dataset/index.js';
import { numRuns, patientInits, snapshot } from './arbitraries.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const inits: PatientInit[] = [
  { id: 'p1', metadata: { label: 'tumor' }, records: [{ name: 'wsi', path: '/d/p1.tif' }] },
  { id: 'p2', metadata: { label: 'normal' }, records: [{ name: 'wsi', path: '/d/p2.tif' }] },
  {
    id: 'p3',
    metadata: { label: 'normal' },
    records: [
      { name: 'wsi', path: '/d/p3.tif' },
      { name: 'mask', path: '/d/p3.png' },
    ],
  },
];

describe('Dataset.fromPatients', () => {
  it('keeps the name and the patients in order, and looks them up by id', () => {
    const ds = Dataset.fromPatients('demo', inits);
    expect(ds.name).toBe('demo');
    expect(ds.size).toBe(3);
    expect(ds.ids).toEqual(['p1', 'p2', 'p3']);
    expect([...ds].map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    expect(ds.patient('p3').record('mask').path).toBe('/d/p3.png');
    expect(ds.hasPatient('p2')).toBe(true);
    expect(ds.hasPatient('p4')).toBe(false);
  });

  it('accepts Patient instances as they are', () => {
    const p = new Patient({ id: 'x' });
    expect(Dataset.fromPatients('d', [p]).patient('x')).toBe(p);
  });

  it('reports every duplicate id with its entry and the first entry', () => {
    const e = caught(() =>
      Dataset.fromPatients('d', [{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: 'b' }, { id: 'a' }]),
    ) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.code).toBe('ERR_DATASET_INVALID');
    expect(e.issues).toEqual([
      { message: 'Duplicate patient id "a" (first at entry 0)', entry: 2, patient: 'a' },
      { message: 'Duplicate patient id "b" (first at entry 1)', entry: 3, patient: 'b' },
      { message: 'Duplicate patient id "a" (first at entry 0)', entry: 4, patient: 'a' },
    ]);
    expect(e.message).toContain(
      'Duplicate patient ids in "d" (3 problems):\n  entry 2: Duplicate patient id "a"',
    );
  });

  it.each([
    ['', [], RangeError, 'Expected `name` to be a non-empty string, got `""` (string)'],
    ['d', 'p1', TypeError, 'Expected `patients` to be an array, got `"p1"` (string)'],
  ])('rejects name %j / patients %j', (name, patients, type, message) => {
    expect(() => Dataset.fromPatients(name, patients as never)).toThrow(type);
    expect(() => Dataset.fromPatients(name, patients as never)).toThrow(message);
  });

  it('patient() throws a DatasetError naming the dataset and the id', () => {
    const e = caught(() => Dataset.fromPatients('demo', inits).patient('zz')) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.context).toEqual({ patient: 'zz' });
    expect(e.issues[0]?.message).toBe('Dataset "demo" has no patient "zz"');
  });

  it('is frozen and leaves the caller’s array and objects untouched', () => {
    const given = snapshot(inits);
    const ds = Dataset.fromPatients('demo', given);
    expect(Object.isFrozen(ds)).toBe(true);
    expect(Object.isFrozen(ds.patients)).toBe(true);
    expect(() => (ds.patients as Patient[]).push(new Patient({ id: 'q' }))).toThrow(TypeError);
    given.pop();
    expect(ds.size).toBe(3);
    expect(given).toEqual(inits.slice(0, 2));
    expect(Object.isFrozen(given[0])).toBe(false);
  });
});

describe('Dataset JSON', () => {
  it('round-trips arbitrary datasets through toJSON / JSON.stringify / fromJSON', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), patientInits(), (name, patients) => {
        const before = snapshot(patients);
        const ds = Dataset.fromPatients(name, patients);
        const json = ds.toJSON();
        expect(json.version).toBe(1);
        const viaText = Dataset.fromJSON(JSON.stringify(ds));
        const viaObject = Dataset.fromJSON(JSON.parse(JSON.stringify(json)));
        expect(viaText.toJSON()).toEqual(json);
        expect(viaObject.toJSON()).toEqual(json);
        expect(viaText.ids).toEqual(ds.ids);
        expect(patients).toEqual(before);
      }),
      { numRuns },
    );
  });

  it('reports every problem of a dataset JSON with its entry and path', () => {
    const e = caught(() =>
      Dataset.fromJSON({
        version: 1,
        name: 'd',
        patients: [
          { id: 'a', records: [{ name: 'wsi', path: 'a.tif' }] },
          { id: '', records: [] },
          { id: 'c', metadata: { x: {} }, records: [{ name: 'wsi', path: 5 }] },
          { id: 'a' },
          'nope',
        ],
      }),
    ) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues).toEqual([
      {
        entry: 1,
        message: 'Expected `patients[1].id` to be a non-empty string, got `""` (string)',
      },
      {
        entry: 2,
        patient: 'c',
        record: 'wsi',
        message:
          'Expected `patients[2].records[0].path` to be a non-empty string, got `5` (number)',
      },
      { entry: 3, patient: 'a', message: 'Duplicate patient id "a" (first at entry 0)' },
      { entry: 4, message: 'Expected `patients[4]` to be an object, got `"nope"` (string)' },
    ]);
  });

  it.each([
    [
      { version: 2, name: 'd', patients: [] },
      'Expected `version` to be 1 (the only version there is), got `2` (number)',
    ],
    [{ name: 'd' }, 'Expected `patients` to be an array of patients, got `undefined` (undefined)'],
    [
      { name: 'd', patients: [], owner: 'x' },
      'Unknown key `owner` (allowed: `version`, `name`, `patients`)',
    ],
    [[], 'Expected `json` to be an object, got `[]` (array)'],
    ['{"name": "d", ', 'Malformed JSON:'],
  ])('rejects %j', (json, message) => {
    const e = caught(() => Dataset.fromJSON(json)) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues[0]?.message).toContain(message);
  });
});

describe('Dataset queries', () => {
  const ds = Dataset.fromPatients('demo', inits);

  it('filter() keeps order and name and returns a new dataset', () => {
    const withMask = ds.filter((p) => p.hasRecord('mask'));
    expect(withMask.ids).toEqual(['p3']);
    expect(withMask.name).toBe('demo');
    expect(ds.size).toBe(3);
  });

  it('withName() renames without touching the original', () => {
    expect(ds.withName('other').name).toBe('other');
    expect(ds.name).toBe('demo');
    expect(() => ds.withName('')).toThrow(
      'Expected `name` to be a non-empty string, got `""` (string)',
    );
  });

  it('countBy() counts per label in order of first appearance, by key or function', () => {
    expect([...ds.countBy('label')]).toEqual([
      ['tumor', 1],
      ['normal', 2],
    ]);
    expect([...ds.countBy((p) => p.records.length)]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('countBy() reports every patient without a usable label', () => {
    const mixed = Dataset.fromPatients('m', [
      { id: 'a', metadata: { label: 'x' } },
      { id: 'b' },
      { id: 'c', metadata: { label: ['x'] } },
    ]);
    const e = caught(() => mixed.countBy('label')) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues).toEqual([
      {
        entry: 1,
        patient: 'b',
        message: 'Patient "b" has no metadata `label` to use as its label',
      },
      {
        entry: 2,
        patient: 'c',
        message:
          'Expected `metadata.label` to be a string, number, boolean or null label, got `["x"]` (array) for patient "c"',
      },
    ]);
    expect(() => mixed.countBy(() => ({}) as never)).toThrow(DatasetError);
    expect(() => mixed.countBy('')).toThrow(
      'Expected `by` to be a metadata key or a function of the patient, got `""` (string)',
    );
  });

  it('summary() and toString() describe counts per record and per label', () => {
    expect(ds.summary()).toBe(
      'Dataset "demo": 3 patients, 4 records (wsi: 3, mask: 1)\n  label: tumor 1 (33.3%), normal 2 (66.7%)',
    );
    expect(ds.summary({ by: (p) => p.hasRecord('mask') })).toBe(
      'Dataset "demo": 3 patients, 4 records (wsi: 3, mask: 1)\n  label: false 2 (66.7%), true 1 (33.3%)',
    );
    expect(String(ds)).toBe('Dataset "demo": 3 patients, 4 records (wsi: 3, mask: 1)');
    const unlabeled = Dataset.fromPatients('u', [
      { id: 'a', metadata: { label: 'x' } },
      { id: 'b' },
    ]);
    expect(unlabeled.summary()).toBe(
      'Dataset "u": 2 patients, 0 records\n  label: x 1 (50.0%), (none) 1 (50.0%)',
    );
    expect(Dataset.fromPatients('e', []).summary()).toBe('Dataset "e": 0 patients, 0 records');
    expect(Dataset.fromPatients('one', [{ id: 'a' }]).summary()).toBe(
      'Dataset "one": 1 patient, 0 records',
    );
  });
});

describe('Dataset argument checks', () => {
  it('filter() rejects a predicate that is not a function', () => {
    expect(() => Dataset.fromPatients('d', []).filter('x' as never)).toThrow(
      'Expected `predicate` to be a function, got `"x"` (string)',
    );
  });
});
