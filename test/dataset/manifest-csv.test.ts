import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DatasetIssue } from '../../src/errors.js';
import { readCsv } from '../../src/dataset/manifest-csv.js';
import { numRuns } from './arbitraries.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function quoteIfNeeded(field: string): string {
  return /[",\r\n]|^\s|\s$/.test(field) || field === ''
    ? `"${field.replaceAll('"', '""')}"`
    : field;
}

describe('readCsv', () => {
  it('returns every field as written and the line each row starts on (any line ending, BOM, blank lines)', () => {
    const tricky = fc.constantFrom(',', '"', '\n', '\r\n', '\r', ' ', '\t', 'a', 'é', '😀');
    const field = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: tricky, maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((width) =>
          fc.record({
            header: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,5}$/), {
              minLength: width,
              maxLength: width,
            }),
            rows: fc.array(
              fc.record({
                fields: fc.array(field, { minLength: width, maxLength: width }),
                blankBefore: fc.nat(2),
              }),
              { maxLength: 8 },
            ),
          }),
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        ({ header, rows }, eol, bom) => {
          let text = (bom ? '\uFEFF' : '') + header.join(',') + eol;
          let line = 2;
          const expectedLines: number[] = [];
          for (const row of rows) {
            text += eol.repeat(row.blankBefore);
            line += row.blankBefore;
            expectedLines.push(line);
            const written = row.fields.map(quoteIfNeeded).join(',');
            text += written + eol;
            line += written.split(/\r\n|\n|\r/).length;
          }
          const issues: DatasetIssue[] = [];
          const table = readCsv(encode(text), ',', issues);
          expect(issues).toEqual([]);
          expect(table.columns).toEqual(header);
          expect(table.rows.map((r) => [...r.values.values()])).toEqual(rows.map((r) => r.fields));
          expect(table.rows.map((r) => r.place)).toEqual(expectedLines.map((l) => ({ line: l })));
        },
      ),
      { numRuns },
    );
  });

  it('trims unquoted whitespace but keeps quoted whitespace', () => {
    const table = readCsv(encode('id , path\n  a ,  " b "  \n'), ',', []);
    expect(table.columns).toEqual(['id', 'path']);
    expect([...table.rows[0]!.values.values()]).toEqual(['a', ' b ']);
  });

  it('counts lines across multi-byte characters and lone carriage returns', () => {
    const issues: DatasetIssue[] = [];
    const table = readCsv(encode('id,note\rä,"é\rü"\r\rb,x\r'), ',', issues);
    expect(issues).toEqual([]);
    expect(table.rows.map((r) => r.place)).toEqual([{ line: 2 }, { line: 5 }]);
  });

  it('keeps the rows before a syntax error and reports the error on the line of the broken row', () => {
    const issues: DatasetIssue[] = [];
    const table = readCsv(encode('id,path\na,x\n\nb,"y\nc,z\n'), ',', issues);
    expect(table.rows).toHaveLength(1);
    expect(issues).toEqual([{ line: 4, message: 'Malformed CSV: a quoted field is never closed' }]);
  });
});
