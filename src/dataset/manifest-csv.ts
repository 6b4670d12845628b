/**
 * Reading a CSV manifest with csv-parse into a {@link ManifestTable}, each row tagged with the
 * line it starts on (computed from byte offsets, so CRLF, blank lines and quoted line breaks
 * never skew it).
 *
 * @internal
 * @module
 */
import { parse } from 'csv-parse/sync';
import type { DatasetIssue } from '../errors.js';
import type { ManifestRow, ManifestTable } from './manifest-table.js';

/** Byte offsets where each line starts (after `\n`, `\r\n` or a lone `\r`). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** The 1-based line of byte `offset`. */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The offset of the first byte at or after `offset` that is not blank (space, tab, CR, LF). */
function skipBlank(bytes: Uint8Array, offset: number): number {
  let i = offset;
  while (i < bytes.length && [0x20, 0x09, 0x0d, 0x0a].includes(bytes[i] as number)) i++;
  return i;
}

const CSV_PROBLEMS: { readonly [code: string]: string } = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by a character other than a delimiter',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a closing quote is followed by a character other than a delimiter',
};

interface Parsed {
  readonly fields: readonly string[];
  readonly line: number;
}

/** Parses `bytes` as CSV; rows before a syntax error are kept and the error becomes an issue. */
export function readCsv(
  bytes: Uint8Array,
  delimiter: string,
  issues: DatasetIssue[],
): ManifestTable {
  const starts = lineStarts(bytes);
  const parsed: Parsed[] = [];
  let end = 0;
  try {
    parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context) => {
        const line = lineOf(starts, skipBlank(bytes, end));
        parsed.push({ fields: record, line });
        end = context.bytes;
        return null;
      },
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const what = CSV_PROBLEMS[e.code ?? ''] ?? e.message ?? String(err);
    issues.push({ message: `Malformed CSV: ${what}`, line: lineOf(starts, skipBlank(bytes, end)) });
  }
  const [header, ...body] = parsed;
  if (header === undefined) {
    if (issues.length === 0) issues.push({ message: 'Malformed CSV: no header line', line: 1 });
    return { kind: 'csv', columns: [], rows: [] };
  }
  const columns = header.fields;
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === '')
      issues.push({
        message: `Empty column name (column ${i + 1}) in the header`,
        line: header.line,
      });
    else if (seen.has(c))
      issues.push({
        message: `Duplicate column ${JSON.stringify(c)} in the header`,
        line: header.line,
      });
    seen.add(c);
  });
  const rows: ManifestRow[] = [];
  for (const { fields, line } of body) {
    if (fields.length !== columns.length) {
      const message = `Expected ${columns.length} fields (as in the header), got ${fields.length}`;
      issues.push({ message, line });
      continue;
    }
    const values = new Map<string, unknown>();
    columns.forEach((c, i) => {
      if (!values.has(c)) values.set(c, fields[i]);
    });
    rows.push({ place: { line }, values });
  }
  return { kind: 'csv', columns, rows };
}
