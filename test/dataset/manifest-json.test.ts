import { describe, expect, it } from 'vitest';
import type { DatasetIssue } from '../../src/errors.js';
import { readJsonManifest } from '../../src/dataset/manifest-json.js';

describe('readJsonManifest', () => {
  it('collects the union of keys in order of first appearance, entries keeping their own keys', () => {
    const issues: DatasetIssue[] = [];
    const table = readJsonManifest('[{"id":"a","x":1},{"id":"b","y":[true]}]', issues);
    expect(issues).toEqual([]);
    expect(table.columns).toEqual(['id', 'x', 'y']);
    expect(table.rows.map((r) => [r.place, Object.fromEntries(r.values)])).toEqual([
      [{ entry: 0 }, { id: 'a', x: 1 }],
      [{ entry: 1 }, { id: 'b', y: [true] }],
    ]);
  });

  it('turns a parser position into a line and keeps the message on one line', () => {
    const issues: DatasetIssue[] = [];
    readJsonManifest('[\n{"id": "a"},\n{"id": "b",}\n]', issues);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.line).toBe(3);
    expect(issues[0]!.message).toMatch(/^Malformed JSON: [^\n]+$/);
  });

  it('reports arrays and nulls as entries that are not objects', () => {
    const issues: DatasetIssue[] = [];
    const table = readJsonManifest('[[1], null, {"id": "ok"}]', issues);
    expect(issues).toEqual([
      { entry: 0, message: 'Expected `manifest[0]` to be an object, got `[1]` (array)' },
      { entry: 1, message: 'Expected `manifest[1]` to be an object, got `null` (null)' },
    ]);
    expect(table.rows.map((r) => r.place)).toEqual([{ entry: 2 }]);
  });
});
