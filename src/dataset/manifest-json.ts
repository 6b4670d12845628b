/**
 * Reading a JSON manifest (an array of flat objects, one per patient) into a
 * {@link ManifestTable}.
 *
 * @internal
 * @module
 */
import type { DatasetIssue } from '../errors.js';
import { expected } from '../internal/validate.js';
import type { ManifestRow, ManifestTable } from './manifest-table.js';

/** The 1-based line of a `JSON.parse` error, when its message gives a position. */
function errorLine(text: string, message: string): number | undefined {
  const match = /position (\d+)/.exec(message);
  if (match === null) return undefined;
  const position = Number(match[1]);
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses `text` as a JSON manifest; problems become issues. */
export function readJsonManifest(text: string, issues: DatasetIssue[]): ManifestTable {
  const empty: ManifestTable = { kind: 'json', columns: [], rows: [] };
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const message = (err as Error).message.replace(/\s+/g, ' ');
    const line = errorLine(text, message);
    issues.push({ message: `Malformed JSON: ${message}`, ...(line === undefined ? {} : { line }) });
    return empty;
  }
  if (!Array.isArray(value)) {
    issues.push({ message: expected('manifest', 'an array of objects (one per patient)', value) });
    return empty;
  }
  const columns: string[] = [];
  const known = new Set<string>();
  const rows: ManifestRow[] = [];
  (value as readonly unknown[]).forEach((item, entry) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push({ message: expected(`manifest[${entry}]`, 'an object', item), entry });
      return;
    }
    const values = new Map(Object.entries(item as { readonly [key: string]: unknown }));
    for (const key of values.keys()) {
      if (!known.has(key)) {
        known.add(key);
        columns.push(key);
      }
    }
    rows.push({ place: { entry }, values });
  });
  return { kind: 'json', columns, rows };
}
