/**
 * Reading the JSON forms of records, patients and datasets, collecting every problem as a
 * `DatasetIssue` (with the entry index and a path such as `patients[3].records[0].path`) instead
 * of stopping at the first.
 *
 * @internal
 * @module
 */
import type { DatasetIssue } from '../errors.js';
import { expected } from '../internal/validate.js';
import { metadataProblem } from './metadata.js';
import type { Metadata, PatientInit, RecordInit } from './types.js';

/** What every issue found inside one value shares: its entry index and patient id. */
type IssueBase = Omit<DatasetIssue, 'message'>;

/** A value that could not be parsed; readers treat it as absent. */
const UNPARSED: unique symbol = Symbol('unparsed');

/** `JSON.parse(json)` if `json` is a string, else `json`; a syntax error becomes an issue. */
export function parseJSONText(json: unknown, issues: DatasetIssue[]): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    issues.push({ message: `Malformed JSON: ${(err as Error).message}` });
    return UNPARSED;
  }
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function checkObject(
  value: unknown,
  name: string,
  keys: readonly string[],
  issues: DatasetIssue[],
  base: IssueBase,
): value is { readonly [key: string]: unknown } {
  if (value === UNPARSED) return false;
  if (!isObject(value)) {
    issues.push({ ...base, message: expected(name === '' ? 'json' : name, 'an object', value) });
    return false;
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      const allowed = keys.map((k) => `\`${k}\``).join(', ');
      issues.push({ ...base, message: `Unknown key \`${join(name, key)}\` (allowed: ${allowed})` });
    }
  }
  return true;
}

function readString(
  value: unknown,
  name: string,
  issues: DatasetIssue[],
  base: IssueBase,
): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  issues.push({ ...base, message: expected(name, 'a non-empty string', value) });
  return undefined;
}

function readMetadata(
  value: unknown,
  name: string,
  issues: DatasetIssue[],
  base: IssueBase,
): Metadata | undefined {
  if (value === undefined) return {};
  const problem = metadataProblem(value, name);
  if (problem === undefined) return value as Metadata;
  const what = problem.name === name ? 'a plain object of JSON values' : 'a JSON value';
  issues.push({ ...base, message: expected(problem.name, what, problem.value) });
  return undefined;
}

const RECORD_KEYS = ['name', 'path', 'metadata'] as const;

/** Reads a record's JSON form; `undefined` (with issues pushed) if it is invalid. */
export function readRecordJSON(
  value: unknown,
  prefix: string,
  issues: DatasetIssue[],
  base: IssueBase,
): RecordInit | undefined {
  if (!checkObject(value, prefix, RECORD_KEYS, issues, base)) return undefined;
  const before = issues.length;
  const name = readString(value['name'], join(prefix, 'name'), issues, base);
  const recordBase = name === undefined ? base : { ...base, record: name };
  const path = readString(value['path'], join(prefix, 'path'), issues, recordBase);
  const metadata = readMetadata(value['metadata'], join(prefix, 'metadata'), issues, recordBase);
  if (issues.length > before || name === undefined || path === undefined) return undefined;
  return { name, path, ...(metadata === undefined ? {} : { metadata }) };
}

const PATIENT_KEYS = ['id', 'metadata', 'records'] as const;

/** Reads a patient's JSON form; `undefined` (with issues pushed) if it is invalid. */
export function readPatientJSON(
  value: unknown,
  prefix: string,
  issues: DatasetIssue[],
  base: IssueBase,
): PatientInit | undefined {
  if (!checkObject(value, prefix, PATIENT_KEYS, issues, base)) return undefined;
  const before = issues.length;
  const id = readString(value['id'], join(prefix, 'id'), issues, base);
  const patientBase = id === undefined ? base : { ...base, patient: id };
  const metadata = readMetadata(value['metadata'], join(prefix, 'metadata'), issues, patientBase);
  const rawRecords = value['records'] ?? [];
  const records: RecordInit[] = [];
  if (!Array.isArray(rawRecords)) {
    const name = join(prefix, 'records');
    issues.push({ ...patientBase, message: expected(name, 'an array of records', rawRecords) });
  } else {
    const seen = new Set<string>();
    (rawRecords as readonly unknown[]).forEach((raw, i) => {
      const name = `${join(prefix, 'records')}[${i}]`;
      const record = readRecordJSON(raw, name, issues, patientBase);
      if (record === undefined) return;
      if (seen.has(record.name)) {
        const message = `Duplicate record name ${JSON.stringify(record.name)} at \`${name}\``;
        issues.push({ ...patientBase, record: record.name, message });
      }
      seen.add(record.name);
      records.push(record);
    });
  }
  if (issues.length > before || id === undefined) return undefined;
  return { id, records, ...(metadata === undefined ? {} : { metadata }) };
}

const DATASET_KEYS = ['version', 'name', 'patients'] as const;

/** Reads a dataset's JSON form; `undefined` (with issues pushed) if it is invalid. */
export function readDatasetJSON(
  value: unknown,
  issues: DatasetIssue[],
): { readonly name: string; readonly patients: readonly PatientInit[] } | undefined {
  if (!checkObject(value, '', DATASET_KEYS, issues, {})) return undefined;
  const version = value['version'];
  if (version !== undefined && version !== 1) {
    issues.push({ message: expected('version', '1 (the only version there is)', version) });
  }
  const name = readString(value['name'], 'name', issues, {});
  const rawPatients = value['patients'];
  if (!Array.isArray(rawPatients)) {
    issues.push({ message: expected('patients', 'an array of patients', rawPatients) });
    return undefined;
  }
  const patients: PatientInit[] = [];
  const firstEntry = new Map<string, number>();
  (rawPatients as readonly unknown[]).forEach((raw, entry) => {
    const patient = readPatientJSON(raw, `patients[${entry}]`, issues, { entry });
    if (patient === undefined) return;
    const first = firstEntry.get(patient.id);
    if (first !== undefined) {
      const message = `Duplicate patient id ${JSON.stringify(patient.id)} (first at entry ${first})`;
      issues.push({ entry, patient: patient.id, message });
      return;
    }
    firstEntry.set(patient.id, entry);
    patients.push(patient);
  });
  if (issues.length > 0 || name === undefined) return undefined;
  return { name, patients };
}
