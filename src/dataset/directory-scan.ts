/**
 * The folder walk behind `Dataset.fromDirectory`: list the files, match them, group them into
 * patients, and report every collision at once.
 *
 * @internal
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import { assertFunction, assertSignal, expected } from '../internal/validate.js';
import { raceAbort } from './abortable.js';
import type { FromDirectoryOptions } from './from-directory-options.js';
import { assertNonEmptyString } from './init-checks.js';
import { issuesMessage } from './issues-message.js';
import { metadataProblem, sameMetadataValue } from './metadata.js';
import { Patient } from './patient.js';
import type { DirectoryFileGroup, Metadata, MetadataValue, RecordInit } from './types.js';
import { withDefaults } from './with-defaults.js';

const IMAGE_EXTENSIONS = 'tif,tiff,svs,ndpi,png,jpg,jpeg,webp';
const DEFAULTS = Object.freeze({
  pattern: `**/*.{${IMAGE_EXTENSIONS},${IMAGE_EXTENSIONS.toUpperCase()}}` as
    string | readonly string[],
  ignore: [] as string | readonly string[],
  recordName: 'image',
});

function globs(name: string, value: unknown, allowEmpty: boolean): string[] {
  const list: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const ok =
    (typeof value === 'string' || Array.isArray(value)) &&
    (allowEmpty || list.length > 0) &&
    list.every((g) => typeof g === 'string' && g.length > 0);
  if (!ok) throw new TypeError(expected(name, 'a glob or an array of globs', value));
  return list as string[];
}

/** Relative paths (with `/`) of the files under `root`, sorted; unreadable subfolders become issues. */
async function listFiles(
  root: string,
  signal: AbortSignal | undefined,
  issues: DatasetIssue[],
): Promise<string[]> {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const rel = pending.pop() as string;
    const abs = rel === '' ? root : join(root, rel);
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : code;
      issues.push({ message: `Cannot read folder ${abs}: ${why}`, path: abs });
      continue;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile()) files.push(child);
      else if (entry.isSymbolicLink()) {
        const target = await stat(join(root, child)).catch(() => undefined);
        if (target?.isFile() === true) files.push(child);
      }
    }
  }
  return files.sort();
}

function stripExtension(rel: string): string {
  const slash = rel.lastIndexOf('/');
  const dot = rel.lastIndexOf('.');
  return dot > slash + 1 ? rel.slice(0, dot) : rel;
}

interface Draft {
  readonly id: string;
  readonly metadata: { [key: string]: MetadataValue };
  readonly metadataFrom: Map<string, string>;
  readonly records: RecordInit[];
  readonly recordFrom: Map<string, string>;
}

function checkGroup(
  value: unknown,
  rel: string,
  defaultRecord: string,
  issues: DatasetIssue[],
  abs: string,
): Required<DirectoryFileGroup> | undefined {
  const fail = (message: string): undefined => {
    issues.push({ message: `${message}, for file ${JSON.stringify(rel)}`, path: abs });
    return undefined;
  };
  if (typeof value !== 'object' || value === null) {
    return fail(expected('group(file)', 'an object, null or undefined', value));
  }
  const g = value as { readonly [key: string]: unknown };
  const patientId = g['patientId'];
  if (typeof patientId !== 'string' || patientId.length === 0) {
    return fail(expected('patientId', 'a non-empty string', patientId));
  }
  const recordName = g['recordName'] ?? defaultRecord;
  if (typeof recordName !== 'string' || recordName.length === 0) {
    return fail(expected('recordName', 'a non-empty string', recordName));
  }
  for (const key of ['metadata', 'recordMetadata']) {
    const problem = g[key] === undefined ? undefined : metadataProblem(g[key], key);
    if (problem !== undefined) {
      const what = problem.name === key ? 'a plain object of JSON values' : 'a JSON value';
      return fail(expected(problem.name, what, problem.value));
    }
  }
  return {
    patientId,
    recordName,
    metadata: (g['metadata'] ?? {}) as Metadata,
    recordMetadata: (g['recordMetadata'] ?? {}) as Metadata,
  };
}

function addFile(
  drafts: Map<string, Draft>,
  group: Required<DirectoryFileGroup>,
  rel: string,
  abs: string,
  issues: DatasetIssue[],
): void {
  const id = group.patientId;
  let draft = drafts.get(id);
  if (draft === undefined) {
    draft = { id, metadata: {}, metadataFrom: new Map(), records: [], recordFrom: new Map() };
    drafts.set(id, draft);
  }
  const clash = draft.recordFrom.get(group.recordName);
  if (clash !== undefined) {
    const message =
      `Files ${JSON.stringify(clash)} and ${JSON.stringify(rel)} are both record ` +
      `${JSON.stringify(group.recordName)} of patient ${JSON.stringify(id)}`;
    issues.push({ message, patient: id, record: group.recordName, path: abs });
    return;
  }
  for (const [key, value] of Object.entries(group.metadata)) {
    const from = draft.metadataFrom.get(key);
    if (from === undefined) {
      draft.metadata[key] = value;
      draft.metadataFrom.set(key, rel);
    } else if (!sameMetadataValue(draft.metadata[key] as MetadataValue, value)) {
      const message =
        `Files ${JSON.stringify(from)} and ${JSON.stringify(rel)} of patient ${JSON.stringify(id)} ` +
        `disagree on metadata \`${key}\`: ${JSON.stringify(draft.metadata[key])} vs ${JSON.stringify(value)}`;
      issues.push({ message, patient: id, path: abs });
    }
  }
  draft.recordFrom.set(group.recordName, rel);
  draft.records.push({ name: group.recordName, path: abs, metadata: group.recordMetadata });
}

/** Walks `dir` and builds its patients. */
export async function scanDirectory(
  dir: string,
  options: FromDirectoryOptions | undefined,
): Promise<{ readonly name: string; readonly patients: Patient[] }> {
  assertNonEmptyString('dir', dir);
  const opts = withDefaults(DEFAULTS, options);
  const signal = assertSignal('signal', opts.signal);
  const patterns = globs('pattern', opts.pattern, false);
  const ignore = globs('ignore', opts.ignore, true);
  const recordName = assertNonEmptyString('recordName', opts.recordName);
  if (opts.group !== undefined) assertFunction('group', opts.group);
  const root = resolve(dir);
  const name =
    opts.name === undefined ? basename(root) || 'dataset' : assertNonEmptyString('name', opts.name);
  signal?.throwIfAborted();

  const issues: DatasetIssue[] = [];
  const files = await raceAbort(listFiles(root, signal, issues), signal);
  const isMatch = picomatch(patterns, ignore.length > 0 ? { ignore } : {});
  const drafts = new Map<string, Draft>();
  let matched = 0;
  for (const rel of files) {
    if (!isMatch(rel)) continue;
    matched++;
    const abs = join(root, rel);
    const raw: unknown =
      opts.group === undefined ? { patientId: stripExtension(rel) } : opts.group(rel);
    if (raw === undefined || raw === null) continue;
    const group = checkGroup(raw, rel, recordName, issues, abs);
    if (group !== undefined) addFile(drafts, group, rel, abs, issues);
  }
  if (issues.length === 0 && drafts.size === 0) {
    const message =
      matched === 0
        ? `No file under ${root} matches ${patterns.map((p) => JSON.stringify(p)).join(' or ')}`
        : `\`group\` skipped all ${matched} matching files under ${root}`;
    issues.push({ message, path: root });
  }
  if (issues.length > 0) {
    throw new DatasetError(
      issuesMessage('Cannot build a dataset from the folder', issues),
      issues,
      {
        path: root,
      },
    );
  }
  const patients = [...drafts.values()].map(
    (d) => new Patient({ id: d.id, metadata: d.metadata, records: d.records }),
  );
  return { name, patients };
}
