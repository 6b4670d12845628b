import { getEventListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import { Dataset } from '../../src/dataset/index.js';
import type { FromManifestOptions } from '../../src/dataset/index.js';
import { removeTree, tempTree } from './arbitraries.js';

const cohort = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/dataset/cohort');

const roots: string[] = [];
async function tree(files: { readonly [path: string]: string }): Promise<string> {
  const root = await tempTree(files);
  roots.push(root);
  return root;
}
afterEach(async () => {
  await Promise.all(roots.splice(0).map(removeTree));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** Loads `manifest` (written as `name`) next to `files`; resolves to the DatasetError it throws. */
async function issuesOf(
  name: string,
  manifest: string,
  files: readonly string[],
  options?: FromManifestOptions,
): Promise<{ root: string; error: DatasetError }> {
  const layout: { [path: string]: string } = { [name]: manifest };
  for (const f of files) layout[f] = '';
  const root = await tree(layout);
  const error = await rejection(Dataset.fromManifest(join(root, name), options));
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as DatasetError).code).toBe('ERR_DATASET_INVALID');
  return { root, error: error as DatasetError };
}

describe('Dataset.fromManifest: CSV', () => {
  it('reads the committed fixture: BOM, CRLF, quoted fields, blank line, empty path', async () => {
    const ds = await Dataset.fromManifest(join(cohort, 'manifest.csv'), {
      idColumn: 'patient_id',
      recordColumns: { wsi: 'slide', mask: 'mask' },
    });
    expect(ds.name).toBe('manifest');
    expect(ds.ids).toEqual(['p1', 'p2', 'p3']);
    expect(ds.patient('p1').recordNames).toEqual(['wsi', 'mask']);
    expect(ds.patient('p1').record('mask').path).toBe(join(cohort, 'masks', 'p1.png'));
    expect(ds.patient('p2').recordNames).toEqual(['wsi']);
    expect(ds.patient('p1').metadata).toEqual({ diagnosis: 'tumor', notes: 'first, with a comma' });
    expect(ds.patient('p2').metadata['notes']).toBe('quoted "word"');
    expect(ds.patient('p3').metadata['notes']).toBe('two\r\nlines');
  });

  it('names issues by the line a row starts on, after blank lines and multi-line fields', async () => {
    const csv = '\uFEFFid,path,note\r\na,a.tif,"x\r\ny\r\nz"\r\n\r\n\r\nb,missing.tif,ok\r\n';
    const { root, error } = await issuesOf('m.csv', csv, ['a.tif']);
    expect(error.issues).toEqual([
      {
        line: 7,
        patient: 'b',
        record: 'path',
        path: join(root, 'missing.tif'),
        message: `File not found: ${join(root, 'missing.tif')} (record "path" of patient "b")`,
      },
    ]);
  });

  it('reads TSV by extension, another delimiter on request, and casts values when asked', async () => {
    const root = await tree({
      'm.tsv': 'id\tpath\tage\tflag\tempty\np1\ta.tif\t61\ttrue\t\n',
      'm.txt': 'id;path;age\np1;a.tif;0.5e1\n',
      'a.tif': '',
    });
    const tsv = await Dataset.fromManifest(join(root, 'm.tsv'), { cast: true });
    expect(tsv.patient('p1').metadata).toEqual({ age: 61, flag: true, empty: null });
    const plain = await Dataset.fromManifest(join(root, 'm.tsv'));
    expect(plain.patient('p1').metadata).toEqual({ age: '61', flag: 'true', empty: '' });
    const semi = await Dataset.fromManifest(join(root, 'm.txt'), { delimiter: ';', cast: true });
    expect(semi.patient('p1').metadata).toEqual({ age: 5 });
  });

  it('keeps only the metadata columns asked for', async () => {
    const root = await tree({ 'm.csv': 'id,path,label,site\np1,a.tif,x,lyon\n', 'a.tif': '' });
    const ds = await Dataset.fromManifest(join(root, 'm.csv'), { metadataColumns: ['label'] });
    expect(ds.patient('p1').metadata).toEqual({ label: 'x' });
  });

  it('skips the file check when asked', async () => {
    const root = await tree({ 'm.csv': 'id,path\np1,nothing.tif\n' });
    const ds = await Dataset.fromManifest(join(root, 'm.csv'), { checkFiles: false });
    expect(ds.patient('p1').record('path').path).toBe(join(root, 'nothing.tif'));
  });
});

describe('Dataset.fromManifest: JSON', () => {
  it('reads the committed fixture: integer ids, typed values, null and absent paths', async () => {
    const ds = await Dataset.fromManifest(join(cohort, 'manifest.json'), {
      idColumn: 'patient_id',
      recordColumns: { wsi: 'slide', mask: 'mask' },
      name: 'cohort',
    });
    expect(ds.name).toBe('cohort');
    expect(ds.ids).toEqual(['p1', 'p2', '3']);
    expect(ds.patient('p1').metadata).toEqual({ diagnosis: 'tumor', age: 61 });
    expect(ds.patient('3').metadata).toEqual({ diagnosis: 'tumor', age: null });
    expect(ds.patient('p2').recordNames).toEqual(['wsi']);
    expect(ds.patient('3').record('wsi').path).toBe(join(cohort, 'slides', 'p3.tif'));
  });

  it('sniffs JSON in a file without a known extension, and skips a BOM', async () => {
    const root = await tree({ 'list.manifest': '\uFEFF [{"id":"a","path":"a.tif"}]', 'a.tif': '' });
    expect((await Dataset.fromManifest(join(root, 'list.manifest'))).ids).toEqual(['a']);
  });
});

describe('Dataset.fromManifest: validation, one issue kind at a time', () => {
  it('duplicate ids (CSV line, JSON entry)', async () => {
    const csv = await issuesOf('m.csv', 'id,path\na,x.tif\nb,x.tif\na,x.tif\n', ['x.tif']);
    expect(csv.error.issues).toEqual([
      { line: 4, patient: 'a', message: 'Duplicate patient id "a" (first on line 2)' },
    ]);
    const json = await issuesOf('m.json', '[{"id":"a"},{"id":"a"}]', [], { recordColumns: [] });
    expect(json.error.issues).toEqual([
      { entry: 1, patient: 'a', message: 'Duplicate patient id "a" (first at entry 0)' },
    ]);
  });

  it('missing files, all reported at once, and a folder where a file should be', async () => {
    const { root, error } = await issuesOf(
      'm.csv',
      'id,path\na,a.tif\nb,b.tif\nc,c.tif\nd,dir\ne,e.tif\n',
      ['c.tif', 'dir/inner.tif'],
    );
    const at = (f: string): string => join(root, f);
    expect(error.issues.map((i) => [i.line, i.patient, i.path, i.message])).toEqual([
      [2, 'a', at('a.tif'), `File not found: ${at('a.tif')} (record "path" of patient "a")`],
      [3, 'b', at('b.tif'), `File not found: ${at('b.tif')} (record "path" of patient "b")`],
      [5, 'd', at('dir'), `Not a file (a folder): ${at('dir')} (record "path" of patient "d")`],
      [6, 'e', at('e.tif'), `File not found: ${at('e.tif')} (record "path" of patient "e")`],
    ]);
    expect(error.message).toContain(
      'Invalid manifest m.csv (4 problems):\n  line 2: File not found',
    );
    expect(error.context).toEqual({ path: join(root, 'm.csv') });
  });

  it('paths escaping the manifest folder, unless allowOutside', async () => {
    const { root, error } = await issuesOf(
      'sub/m.csv',
      'id,path\na,../x.tif\nb,/etc/hostname\nc,ok/../y.tif\n',
      ['x.tif', 'sub/y.tif'],
    );
    expect(error.issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [
        2,
        join(root, 'x.tif'),
        `Record path "../x.tif" escapes the manifest's folder ${join(root, 'sub')} (pass \`allowOutside: true\` to allow it)`,
      ],
      [
        3,
        '/etc/hostname',
        `Record path "/etc/hostname" escapes the manifest's folder ${join(root, 'sub')} (pass \`allowOutside: true\` to allow it)`,
      ],
    ]);
    const allowed = await Dataset.fromManifest(join(root, 'sub', 'm.csv'), {
      allowOutside: true,
      checkFiles: false,
    });
    expect(allowed.patient('a').record('path').path).toBe(join(root, 'x.tif'));
    expect(allowed.patient('c').record('path').path).toBe(join(root, 'sub', 'y.tif'));
  });

  it('empty ids (CSV) and missing or mistyped ids (JSON)', async () => {
    const csv = await issuesOf('m.csv', 'id,path\n,a.tif\n"  ",a.tif\n', ['a.tif']);
    expect(csv.error.issues).toEqual([
      { line: 2, message: 'Empty patient id in column `id`' },
      { line: 3, message: 'Empty patient id in column `id`' },
    ]);
    const json = await issuesOf('m.json', '[{"path":"a.tif"},{"id":1.5},{"id":true}]', ['a.tif']);
    expect(json.error.issues).toEqual([
      { entry: 0, message: 'Missing patient id: no `id` field' },
      {
        entry: 1,
        message:
          'Expected `id` to be a non-empty string or an integer (the patient id), got `1.5` (number)',
      },
      {
        entry: 2,
        message:
          'Expected `id` to be a non-empty string or an integer (the patient id), got `true` (boolean)',
      },
    ]);
  });

  it('unknown columns asked for, all of them, on line 1', async () => {
    const { error } = await issuesOf('m.csv', 'id,path,label\na,a.tif,x\n', ['a.tif'], {
      idColumn: 'patient',
      recordColumns: { wsi: 'slide' },
      metadataColumns: ['label', 'site'],
    });
    const has = '(the manifest has "id", "path", "label")';
    expect(error.issues).toEqual([
      { line: 1, message: `Unknown column "patient" ${has}` },
      { line: 1, message: `Unknown column "slide" ${has}` },
      { line: 1, message: `Unknown column "site" ${has}` },
    ]);
  });

  it('unknown columns in JSON (absent from every entry)', async () => {
    const { error } = await issuesOf('m.json', '[{"id":"a","path":"a.tif"}]', ['a.tif'], {
      recordColumns: ['path', 'mask'],
    });
    expect(error.issues).toEqual([
      { message: 'Unknown column "mask" (the manifest has "id", "path")' },
    ]);
  });

  it('malformed CSV: an unclosed quote, on the line where it opens', async () => {
    const { error } = await issuesOf('m.csv', 'id,path\na,a.tif\nb,"b.tif\nc,c.tif\n', ['a.tif']);
    expect(error.issues).toEqual([
      { line: 3, message: 'Malformed CSV: a quoted field is never closed' },
    ]);
  });

  it('malformed CSV: a stray quote, and rows with the wrong number of fields', async () => {
    const stray = await issuesOf('m.csv', 'id,path\na,a"b\n', []);
    expect(stray.error.issues).toEqual([
      { line: 2, message: 'Malformed CSV: a quote appears inside an unquoted field' },
    ]);
    const fields = await issuesOf('m.csv', 'id,path,label\na,a.tif\nb,b.tif,x,y\n', [
      'a.tif',
      'b.tif',
    ]);
    expect(fields.error.issues).toEqual([
      { line: 2, message: 'Expected 3 fields (as in the header), got 2' },
      { line: 3, message: 'Expected 3 fields (as in the header), got 4' },
    ]);
  });

  it('malformed CSV header: duplicate and empty column names, or no header at all', async () => {
    const dup = await issuesOf('m.csv', 'id,path,id,\na,a.tif,b,c\n', ['a.tif']);
    expect(dup.error.issues).toEqual([
      { line: 1, message: 'Duplicate column "id" in the header' },
      { line: 1, message: 'Empty column name (column 4) in the header' },
    ]);
    const empty = await issuesOf('m.csv', '\n\n', []);
    expect(empty.error.issues).toEqual([{ line: 1, message: 'Malformed CSV: no header line' }]);
  });

  it('malformed JSON, with the line when the parser gives a position', async () => {
    const syntax = await issuesOf('m.json', '[\n  {"id": "a",}\n]', []);
    expect(syntax.error.issues).toHaveLength(1);
    expect(syntax.error.issues[0]).toMatchObject({ line: 2 });
    expect(syntax.error.issues[0]?.message).toMatch(/^Malformed JSON: /);
    const notArray = await issuesOf('m.json', '{"id":"a"}', []);
    expect(notArray.error.issues).toEqual([
      {
        message:
          'Expected `manifest` to be an array of objects (one per patient), got `{"id":"a"}` (object)',
      },
    ]);
    const entries = await issuesOf(
      'm.json',
      '[{"id":"a","path":"a.tif"}, 3, {"id":"c","path":7}]',
      ['a.tif'],
    );
    expect(entries.error.issues).toEqual([
      { entry: 1, message: 'Expected `manifest[1]` to be an object, got `3` (number)' },
      {
        entry: 2,
        patient: 'c',
        record: 'path',
        message: 'Expected `path` to be a file path (a string), got `7` (number)',
      },
    ]);
  });

  it('a manifest that cannot be read', async () => {
    const root = await tree({});
    const e = (await rejection(Dataset.fromManifest(join(root, 'none.csv')))) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues).toEqual([
      { message: 'Cannot read the manifest: file not found', path: join(root, 'none.csv') },
    ]);
    await mkdir(join(root, 'folder.csv'));
    const dir = (await rejection(Dataset.fromManifest(join(root, 'folder.csv')))) as DatasetError;
    expect(dir.issues[0]?.message).toBe('Cannot read the manifest: a folder, not a file');
  });

  it('every kind at once, in manifest order', async () => {
    const csv = 'id,path\n,a.tif\na,../out.tif\nb,missing.tif\nb,a.tif\nc,"x\n';
    const { error } = await issuesOf('m.csv', csv, ['a.tif']);
    expect(error.issues.map((i) => i.line)).toEqual([2, 3, 4, 5, 6]);
    const messages = error.issues.map((i) => i.message);
    expect(messages[0]).toBe('Empty patient id in column `id`');
    expect(messages[1]).toMatch(/^Record path "\.\.\/out\.tif" escapes the manifest's folder /);
    expect(messages[2]).toMatch(
      /^File not found: .*missing\.tif \(record "path" of patient "b"\)$/,
    );
    expect(messages[3]).toBe('Duplicate patient id "b" (first on line 4)');
    expect(messages[4]).toBe('Malformed CSV: a quoted field is never closed');
  });
});

describe('Dataset.fromManifest: options and cancellation', () => {
  it.each([
    [
      { format: 'xml' },
      TypeError,
      "Expected `format` to be one of 'auto', 'csv', 'json', got `\"xml\"` (string)",
    ],
    [
      { idColumn: '' },
      RangeError,
      'Expected `idColumn` to be a non-empty string, got `""` (string)',
    ],
    [
      { recordColumns: 'path' },
      TypeError,
      'Expected `recordColumns` to be an array of column names or an object mapping record names to columns, got `"path"` (string)',
    ],
    [
      { recordColumns: ['a', 'a'] },
      TypeError,
      'Expected `recordColumns` to be an array of distinct non-empty column names, got `["a","a"]` (array)',
    ],
    [
      { metadataColumns: 'all' },
      TypeError,
      'Expected `metadataColumns` to be an array of distinct non-empty column names, got `"all"` (string)',
    ],
    [{ cast: 'yes' }, TypeError, 'Expected `cast` to be a boolean, got `"yes"` (string)'],
    [
      { fileCheckConcurrency: 0 },
      RangeError,
      'Expected `fileCheckConcurrency` to be an integer between 1 and 1024, got `0` (number)',
    ],
    [
      { delimiter: '' },
      RangeError,
      'Expected `delimiter` to be a non-empty string, got `""` (string)',
    ],
  ])('rejects options %j', async (options, type, message) => {
    const e = await rejection(Dataset.fromManifest('m.csv', options as never));
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toBe(message);
  });

  it('rejects with the reason of an already aborted signal', async () => {
    const reason = new Error('stop');
    await expect(
      Dataset.fromManifest(join(cohort, 'manifest.csv'), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it('rejects with the reason when aborted while checking files, and removes its listeners', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `p${i},f${i}.tif`).join('\n');
    const root = await tree({ 'm.csv': `id,path\n${rows}\n` });
    const controller = new AbortController();
    const reason = { why: 'user' };
    const pending = Dataset.fromManifest(join(root, 'm.csv'), {
      signal: controller.signal,
      fileCheckConcurrency: 1,
    });
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener behind after a load that completes', async () => {
    const controller = new AbortController();
    await Dataset.fromManifest(join(cohort, 'manifest.csv'), {
      signal: controller.signal,
      idColumn: 'patient_id',
      recordColumns: ['slide'],
    });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
