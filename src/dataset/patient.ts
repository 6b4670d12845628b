import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import { expected } from '../internal/validate.js';
import { assertNonEmptyString, assertObject, checkedMetadata } from './init-checks.js';
import { issuesMessage } from './issues-message.js';
import { parseJSONText, readPatientJSON } from './json-read.js';
import { Record as PatientRecord } from './record.js';
import type { Metadata, PatientInit, PatientJSON, RecordInit } from './types.js';

/** The metadata key under which {@link Dataset.balanceByRepeat} stores the original patient id. */
const REPEAT_OF = 'repeatOf';

/**
 * A patient: a stable id, metadata (labels, clinical variables…) and named records (files).
 *
 * @remarks
 * A `Patient` is immutable: it is frozen, its metadata is deeply frozen, its records are frozen
 * {@link Record}s in a frozen array, and {@link Patient.with} returns a new patient. Records keep
 * the order they were given in.
 *
 * Patients cross thread boundaries as JSON ({@link Patient.toJSON} / {@link Patient.fromJSON})
 * or by id, never as live objects: `structuredClone` of a class instance loses its methods.
 *
 * @example
 * ```ts
 * const p = new Patient({
 *   id: 'p1',
 *   metadata: { label: 'tumor' },
 *   records: [{ name: 'wsi', path: '/data/p1.tif' }],
 * });
 * p.record('wsi').path; // '/data/p1.tif'
 * p.record('mask'); // throws DatasetError: No such record (the patient has "wsi") [patient "p1", record "mask"]
 * ```
 */
export class Patient {
  /** Stable unique id of the patient within its dataset; non-empty. */
  readonly id: string;
  /** The patient's metadata, deeply frozen. */
  readonly metadata: Metadata;
  /** The patient's records, in the order they were given; frozen. */
  readonly records: readonly PatientRecord[];
  readonly #byName: ReadonlyMap<string, PatientRecord>;

  /**
   * Creates a patient. Metadata is checked and copied; record inits become {@link Record}s;
   * the caller's objects and arrays are left as they are.
   *
   * @param init - Id, optional metadata and optional records.
   * @throws `TypeError` / `RangeError` if `id` is not a non-empty string, if `metadata` is not a
   *   plain object of JSON values, if a record is invalid, or if two records share a name.
   */
  constructor(init: PatientInit) {
    assertObject('init', init);
    this.id = assertNonEmptyString('id', init.id);
    this.metadata = checkedMetadata('metadata', init.metadata);
    const given: unknown = init.records ?? [];
    if (!Array.isArray(given)) throw new TypeError(expected('records', 'an array', given));
    const records = (given as readonly (PatientRecord | RecordInit)[]).map((r) =>
      r instanceof PatientRecord ? r : new PatientRecord(r),
    );
    const byName = new Map<string, PatientRecord>();
    for (const r of records) {
      if (byName.has(r.name)) {
        throw new RangeError(expected('records', 'records with distinct names', r.name));
      }
      byName.set(r.name, r);
    }
    this.records = Object.freeze(records);
    this.#byName = byName;
    Object.freeze(this);
  }

  /** The names of the records, in order. */
  get recordNames(): readonly string[] {
    return this.records.map((r) => r.name);
  }

  /**
   * The id of the patient this one repeats, for the copies made by
   * {@link Dataset.balanceByRepeat} (read from `metadata.repeatOf`); else the patient's own id.
   * Use it to group a patient with its repeats, e.g. to keep them in one split.
   */
  get originalId(): string {
    const of = this.metadata[REPEAT_OF];
    return typeof of === 'string' && of.length > 0 ? of : this.id;
  }

  /**
   * The record with this name.
   *
   * @param name - The record's name.
   * @returns The record.
   * @throws {@link DatasetError} (`ERR_DATASET_INVALID`) naming the patient, the missing record
   *   and the records the patient does have, with `context.patient` and `context.record` set.
   * @example
   * ```ts
   * const path = patient.record('wsi').path;
   * ```
   */
  record(name: string): PatientRecord {
    const found = this.#byName.get(name);
    if (found !== undefined) return found;
    const names = this.recordNames.map((n) => JSON.stringify(n)).join(', ');
    const have = names === '' ? 'the patient has no records' : `the patient has ${names}`;
    const issue = `Patient ${JSON.stringify(this.id)} has no record ${JSON.stringify(name)}`;
    throw new DatasetError(
      `No such record (${have})`,
      [{ message: issue, patient: this.id, record: name }],
      { patient: this.id, record: name },
    );
  }

  /**
   * Whether the patient has a record with this name.
   *
   * @param name - The record's name.
   * @returns `true` if {@link Patient.record} would find it.
   * @example
   * ```ts
   * const mask = patient.hasRecord('mask') ? patient.record('mask') : undefined;
   * ```
   */
  hasRecord(name: string): boolean {
    return this.#byName.has(name);
  }

  /**
   * A copy of this patient with some fields replaced (metadata and records are replaced, not
   * merged).
   *
   * @param changes - The fields to replace.
   * @returns A new patient; this one is unchanged.
   * @throws `TypeError` / `RangeError` as the constructor does.
   * @example
   * ```ts
   * const relabelled = patient.with({ metadata: { ...patient.metadata, label: 'normal' } });
   * ```
   */
  with(changes: Partial<PatientInit>): Patient {
    return new Patient({
      id: changes.id ?? this.id,
      metadata: changes.metadata ?? this.metadata,
      records: changes.records ?? this.records,
    });
  }

  /**
   * The patient as plain JSON; `JSON.stringify(patient)` uses it.
   *
   * @returns A plain object that {@link Patient.fromJSON} turns back into an equal patient.
   * @example
   * ```ts
   * worker.postMessage(patient.toJSON());
   * ```
   */
  toJSON(): PatientJSON {
    return { id: this.id, metadata: this.metadata, records: this.records.map((r) => r.toJSON()) };
  }

  /**
   * Reads a patient back from its JSON form, checking every field.
   *
   * @param json - A {@link PatientJSON} object, or a string holding one.
   * @returns The patient.
   * @throws {@link DatasetError} listing every problem, each naming where it is, e.g.
   *   ``Expected `records[0].path` to be a non-empty string, got `null` (null)``.
   * @example
   * ```ts
   * parentPort.on('message', (json) => { const patient = Patient.fromJSON(json); });
   * ```
   */
  static fromJSON(json: unknown): Patient {
    const issues: DatasetIssue[] = [];
    const init = readPatientJSON(parseJSONText(json, issues), '', issues, {});
    if (init === undefined || issues.length > 0) {
      throw new DatasetError(issuesMessage('Invalid patient JSON', issues), issues);
    }
    return new Patient(init);
  }
}
