/**
 * Turning manifest rows into patients: ids, record paths (resolved and kept inside the
 * manifest's folder), metadata; every problem becomes an issue tagged with its line or entry.
 *
 * @internal
 * @module
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { DatasetIssue } from '../errors.js';
import { expected } from '../internal/validate.js';
import type { ManifestRow, ManifestTable, RowPlace } from './manifest-table.js';
import { metadataProblem } from './metadata.js';
import type { MetadataValue, PatientInit, RecordInit } from './types.js';

/** The validated column roles and path rules. */
export interface RowSpec {
  readonly idColumn: string;
  /** `[recordName, column]` pairs, in order. */
  readonly records: readonly (readonly [string, string])[];
  readonly metadataColumns: readonly string[] | 'rest';
  readonly cast: boolean;
  readonly baseDir: string;
  readonly allowOutside: boolean;
}

/** A record file to check, with what to say if it is missing. */
export interface FileToCheck {
  readonly path: string;
  readonly issue: Omit<DatasetIssue, 'message'>;
  readonly describe: string;
}

function firstAt(place: RowPlace): string {
  return 'line' in place ? `first on line ${place.line}` : `first at entry ${place.entry}`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function castValue(value: string): MetadataValue {
  if (value === '') return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (NUMBER.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
}

function readId(row: ManifestRow, spec: RowSpec, issues: DatasetIssue[]): string | undefined {
  const raw = row.values.get(spec.idColumn);
  const place = row.place;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  const message =
    raw === undefined
      ? `Missing patient id: no \`${spec.idColumn}\` field`
      : typeof raw === 'string'
        ? `Empty patient id in column \`${spec.idColumn}\``
        : expected(spec.idColumn, 'a non-empty string or an integer (the patient id)', raw);
  issues.push({ message, ...place });
  return undefined;
}

function escapes(baseDir: string, abs: string): boolean {
  const rel = relative(baseDir, abs);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

function readRecords(
  row: ManifestRow,
  id: string,
  spec: RowSpec,
  issues: DatasetIssue[],
  files: FileToCheck[],
): RecordInit[] {
  const records: RecordInit[] = [];
  for (const [name, column] of spec.records) {
    const raw = row.values.get(column);
    if (raw === undefined || raw === null || raw === '') continue;
    const base = { ...row.place, patient: id, record: name };
    if (typeof raw !== 'string') {
      issues.push({ ...base, message: expected(column, 'a file path (a string)', raw) });
      continue;
    }
    const abs = resolve(spec.baseDir, raw);
    if (!spec.allowOutside && escapes(spec.baseDir, abs)) {
      const message =
        `Record path ${JSON.stringify(raw)} escapes the manifest's folder ${spec.baseDir} ` +
        '(pass `allowOutside: true` to allow it)';
      issues.push({ ...base, path: abs, message });
      continue;
    }
    records.push({ name, path: abs });
    const describe = `record ${JSON.stringify(name)} of patient ${JSON.stringify(id)}`;
    files.push({ path: abs, issue: { ...base, path: abs }, describe });
  }
  return records;
}

function readMetadata(
  row: ManifestRow,
  columns: readonly string[],
  spec: RowSpec,
  kind: ManifestTable['kind'],
  issues: DatasetIssue[],
): { [key: string]: MetadataValue } {
  const metadata: { [key: string]: MetadataValue } = {};
  for (const column of columns) {
    if (!row.values.has(column)) continue;
    const raw = row.values.get(column);
    if (kind === 'csv') {
      metadata[column] = spec.cast ? castValue(raw as string) : (raw as string);
      continue;
    }
    const problem = metadataProblem({ [column]: raw }, 'metadata');
    if (problem === undefined) metadata[column] = raw as MetadataValue;
    else
      issues.push({
        ...row.place,
        message: expected(problem.name.slice('metadata.'.length), 'a JSON value', problem.value),
      });
  }
  return metadata;
}

/**
 * Builds patient inits from `table`; pushes every problem to `issues` and every record file to
 * check to `files`. Rows with problems produce no patient.
 */
export function buildPatients(
  table: ManifestTable,
  spec: RowSpec,
  issues: DatasetIssue[],
  files: FileToCheck[],
): PatientInit[] {
  const headerPlace = table.kind === 'csv' ? { line: 1 } : {};
  const known = new Set(table.columns);
  const recordColumns = new Set(spec.records.map(([, column]) => column));
  const asked = [
    spec.idColumn,
    ...recordColumns,
    ...(spec.metadataColumns === 'rest' ? [] : spec.metadataColumns),
  ];
  const unknown = [...new Set(asked)].filter((c) => !known.has(c));
  const listed = table.columns.map((c) => JSON.stringify(c)).join(', ');
  for (const column of unknown) {
    if (table.columns.length === 0 && table.rows.length === 0) break; // nothing to check against
    const message = `Unknown column ${JSON.stringify(column)} (the manifest has ${listed === '' ? 'no columns' : listed})`;
    issues.push({ message, ...headerPlace });
  }
  if (unknown.includes(spec.idColumn)) return [];
  const metadataColumns =
    spec.metadataColumns === 'rest' ? null : spec.metadataColumns.filter((c) => known.has(c));

  const patients: PatientInit[] = [];
  const firstSeen = new Map<string, RowPlace>();
  for (const row of table.rows) {
    const id = readId(row, spec, issues);
    if (id === undefined) continue;
    const first = firstSeen.get(id);
    if (first !== undefined) {
      const message = `Duplicate patient id ${JSON.stringify(id)} (${firstAt(first)})`;
      issues.push({ message, ...row.place, patient: id });
      continue;
    }
    firstSeen.set(id, row.place);
    const before = issues.length;
    const records = readRecords(row, id, spec, issues, files);
    const columns =
      metadataColumns ??
      [...row.values.keys()].filter((c) => c !== spec.idColumn && !recordColumns.has(c));
    const metadata = readMetadata(row, columns, spec, table.kind, issues);
    if (issues.length === before) patients.push({ id, metadata, records });
  }
  return patients;
}
