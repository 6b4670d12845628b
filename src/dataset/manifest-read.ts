/**
 * `Dataset.fromManifest`: options, reading the file, choosing the format, building the patients
 * and checking their files; every problem is collected before one `DatasetError` is thrown.
 *
 * @internal
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import {
  assertBoolean,
  assertInteger,
  assertOneOf,
  assertSignal,
  expected,
} from '../internal/validate.js';
import { checkFiles } from './check-files.js';
import type { FromManifestOptions } from './from-manifest-options.js';
import { assertNonEmptyString } from './init-checks.js';
import { issuesMessage } from './issues-message.js';
import { readCsv } from './manifest-csv.js';
import { readJsonManifest } from './manifest-json.js';
import { buildPatients } from './manifest-rows.js';
import type { FileToCheck, RowSpec } from './manifest-rows.js';
import type { ManifestTable } from './manifest-table.js';
import { Patient } from './patient.js';
import { withDefaults } from './with-defaults.js';

const DEFAULTS = Object.freeze({
  format: 'auto',
  idColumn: 'id',
  recordColumns: Object.freeze(['path']),
  metadataColumns: 'rest',
  delimiter: 'auto',
  cast: false,
  allowOutside: false,
  checkFiles: true,
  fileCheckConcurrency: 16,
});

function columnList(name: string, value: unknown): string[] {
  const what = 'an array of distinct non-empty column names';
  if (!Array.isArray(value)) throw new TypeError(expected(name, what, value));
  const list = value as readonly unknown[];
  if (
    list.some((c) => typeof c !== 'string' || c.length === 0) ||
    new Set(list).size !== list.length
  ) {
    throw new TypeError(expected(name, what, value));
  }
  return list as string[];
}

function recordPairs(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return columnList('recordColumns', value).map((c) => [c, c]);
  }
  const what = 'an array of column names or an object mapping record names to columns';
  if (value === null || typeof value !== 'object') {
    throw new TypeError(expected('recordColumns', what, value));
  }
  const pairs = Object.entries(value as { readonly [key: string]: unknown });
  for (const [name, column] of pairs) {
    if (name === '' || typeof column !== 'string' || column === '') {
      throw new TypeError(expected('recordColumns', what, value));
    }
  }
  return pairs as [string, string][];
}

function chooseFormat(
  format: 'auto' | 'csv' | 'json',
  path: string,
  bytes: Uint8Array,
): 'csv' | 'json' {
  if (format !== 'auto') return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  const text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.byteLength, 1024),
  ).toString('utf8');
  return /^\uFEFF?\s*\[/.test(text) ? 'json' : 'csv';
}

async function readManifestFile(
  path: string,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  try {
    return await readFile(path, signal === undefined ? {} : { signal });
  } catch (err) {
    signal?.throwIfAborted();
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'a folder, not a file'
          : (code ?? String(err));
    const issue = { message: `Cannot read the manifest: ${why}`, path };
    throw new DatasetError(issuesMessage('Invalid manifest', [issue]), [issue], { path });
  }
}

/** Reads, validates and checks a manifest. */
export async function readManifest(
  path: string,
  options: FromManifestOptions | undefined,
): Promise<{ readonly name: string; readonly patients: Patient[] }> {
  assertNonEmptyString('path', path);
  const opts = withDefaults(DEFAULTS, options);
  const signal = assertSignal('signal', opts.signal);
  const format = assertOneOf('format', opts.format, ['auto', 'csv', 'json'] as const);
  const idColumn = assertNonEmptyString('idColumn', opts.idColumn);
  const records = recordPairs(opts.recordColumns);
  const metadataColumns =
    opts.metadataColumns === 'rest' ? 'rest' : columnList('metadataColumns', opts.metadataColumns);
  const delimiter = assertNonEmptyString('delimiter', opts.delimiter);
  const cast = assertBoolean('cast', opts.cast);
  const allowOutside = assertBoolean('allowOutside', opts.allowOutside);
  const check = assertBoolean('checkFiles', opts.checkFiles);
  const concurrency = assertInteger('fileCheckConcurrency', opts.fileCheckConcurrency, 1, 1024);
  const file = resolve(path);
  const name =
    opts.name === undefined
      ? basename(file, extname(file)) || 'dataset'
      : assertNonEmptyString('name', opts.name);
  signal?.throwIfAborted();

  const bytes = await readManifestFile(file, signal);
  const issues: DatasetIssue[] = [];
  let table: ManifestTable;
  if (chooseFormat(format, file, bytes) === 'json') {
    table = readJsonManifest(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      issues,
    );
  } else {
    const sep =
      delimiter !== 'auto' ? delimiter : extname(file).toLowerCase() === '.tsv' ? '\t' : ',';
    table = readCsv(bytes, sep, issues);
  }
  const spec: RowSpec = {
    idColumn,
    records,
    metadataColumns,
    cast,
    baseDir: dirname(file),
    allowOutside,
  };
  const files: FileToCheck[] = [];
  const patients = buildPatients(table, spec, issues, files);
  if (check && files.length > 0) issues.push(...(await checkFiles(files, concurrency, signal)));
  signal?.throwIfAborted();
  if (issues.length > 0) {
    throw new DatasetError(
      issuesMessage(`Invalid manifest ${basename(file)}`, sortIssues(issues)),
      sortIssues(issues),
      {
        path: file,
      },
    );
  }
  return { name, patients: patients.map((p) => new Patient(p)) };
}

/** Issues in manifest order: by line or entry (header-level first), stable otherwise. */
function sortIssues(issues: readonly DatasetIssue[]): DatasetIssue[] {
  const key = (i: DatasetIssue): number => i.line ?? (i.entry === undefined ? -1 : i.entry);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.index - b.index)
    .map((e) => e.issue);
}
