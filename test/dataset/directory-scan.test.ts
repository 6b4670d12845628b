import { getEventListeners } from 'node:events';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import { Dataset } from '../../src/dataset/index.js';
import { removeTree, tempTree } from './arbitraries.js';

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

describe('Dataset.fromDirectory', () => {
  it('makes one patient per image file, ids without extension, in path order', async () => {
    const root = await tree({
      'b.tif': '',
      'a.svs': '',
      'tumor/c.TIFF': '',
      'notes.txt': '',
      '.hidden.tif': '',
      'Z.png': '',
    });
    const ds = await Dataset.fromDirectory(root);
    expect(ds.ids).toEqual(['Z', 'a', 'b', 'tumor/c']);
    expect(ds.patient('tumor/c').record('image').path).toBe(join(root, 'tumor', 'c.TIFF'));
    expect(ds.patient('a').recordNames).toEqual(['image']);
    expect(ds.name).toBe(root.split('/').pop());
  });

  it('honours pattern, ignore, recordName and name', async () => {
    const root = await tree({ 'x/1.tif': '', 'x/2.tif': '', 'y/3.tif': '', 'x/4.png': '' });
    const ds = await Dataset.fromDirectory(root, {
      pattern: ['x/*.tif', 'y/*.tif'],
      ignore: '**/2.tif',
      recordName: 'wsi',
      name: 'cohort',
    });
    expect(ds.name).toBe('cohort');
    expect(ds.ids).toEqual(['x/1', 'y/3']);
    expect(ds.patient('y/3').record('wsi').path).toBe(join(root, 'y', '3.tif'));
  });

  it('groups files into patients with named records and metadata', async () => {
    const root = await tree({
      'tumor/p1_HE.tif': '',
      'tumor/p1_mask.png': '',
      'normal/p2_HE.tif': '',
      'normal/readme.png': '',
    });
    const ds = await Dataset.fromDirectory(root, {
      group: (file) => {
        const m = /^(\w+)\/(p\d+)_(\w+)\.\w+$/.exec(file);
        if (m === null) return undefined;
        return {
          patientId: m[2]!,
          recordName: m[3]!,
          metadata: { label: m[1]! },
          recordMetadata: { file },
        };
      },
    });
    expect(ds.ids).toEqual(['p2', 'p1']);
    expect(ds.patient('p1').recordNames).toEqual(['HE', 'mask']);
    expect(ds.patient('p1').metadata).toEqual({ label: 'tumor' });
    expect(ds.patient('p1').record('mask').metadata).toEqual({ file: 'tumor/p1_mask.png' });
    expect(ds.patient('p2').record('HE').path).toBe(join(root, 'normal', 'p2_HE.tif'));
  });

  it('reports every collision at once, with paths', async () => {
    const root = await tree({ 'a.tif': '', 'a.png': '', 'b.tif': '', 'c.tif': '', 'd.tif': '' });
    const e = (await rejection(
      Dataset.fromDirectory(root, {
        group: (file) => {
          if (file === 'd.tif') return { patientId: '' };
          const id = file.startsWith('a') ? 'a' : 'bc';
          return {
            patientId: id,
            recordName: id === 'a' ? 'image' : file,
            metadata: { label: file },
          };
        },
      }),
    )) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.code).toBe('ERR_DATASET_INVALID');
    expect(e.context).toEqual({ path: root });
    expect(e.issues).toEqual([
      {
        message: 'Files "a.png" and "a.tif" are both record "image" of patient "a"',
        patient: 'a',
        record: 'image',
        path: join(root, 'a.tif'),
      },
      {
        message:
          'Files "b.tif" and "c.tif" of patient "bc" disagree on metadata `label`: "b.tif" vs "c.tif"',
        patient: 'bc',
        path: join(root, 'c.tif'),
      },
      {
        message:
          'Expected `patientId` to be a non-empty string, got `""` (string), for file "d.tif"',
        path: join(root, 'd.tif'),
      },
    ]);
    expect(e.message).toContain('Cannot build a dataset from the folder (3 problems):');
  });

  it('reports two files that map to one default id', async () => {
    const root = await tree({ 's/a.tif': '', 's/a.png': '' });
    const e = (await rejection(Dataset.fromDirectory(root))) as DatasetError;
    expect(e.issues.map((i) => i.message)).toEqual([
      'Files "s/a.png" and "s/a.tif" are both record "image" of patient "s/a"',
    ]);
  });

  it('reports a folder where nothing matches, or where group skips everything', async () => {
    const root = await tree({ 'a.txt': '' });
    const none = (await rejection(Dataset.fromDirectory(root))) as DatasetError;
    expect(none).toBeInstanceOf(DatasetError);
    expect(none.issues[0]?.message).toMatch(/^No file under .* matches "\*\*\/\*\.\{tif,/);
    const skipped = (await rejection(
      Dataset.fromDirectory(root, { pattern: '*.txt', group: () => null }),
    )) as DatasetError;
    expect(skipped.issues[0]?.message).toBe(`\`group\` skipped all 1 matching files under ${root}`);
  });

  it('reports a missing folder', async () => {
    const root = await tree({});
    const missing = join(root, 'nope');
    const e = (await rejection(Dataset.fromDirectory(missing))) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.issues).toEqual([
      { message: `Cannot read folder ${missing}: no such folder`, path: missing },
    ]);
  });

  it('follows symbolic links to files but not to folders', async () => {
    const root = await tree({ 'real/a.tif': '', 'outside/b.tif': '' });
    await mkdir(join(root, 'scan'));
    await symlink(join(root, 'real', 'a.tif'), join(root, 'scan', 'link.tif'));
    await symlink(join(root, 'outside'), join(root, 'scan', 'dirlink'));
    await symlink(join(root, 'nowhere.tif'), join(root, 'scan', 'broken.tif'));
    const ds = await Dataset.fromDirectory(join(root, 'scan'));
    expect(ds.ids).toEqual(['link']);
  });

  it.each([
    [
      { pattern: 3 },
      TypeError,
      'Expected `pattern` to be a glob or an array of globs, got `3` (number)',
    ],
    [
      { pattern: [] },
      TypeError,
      'Expected `pattern` to be a glob or an array of globs, got `[]` (array)',
    ],
    [
      { ignore: [''] },
      TypeError,
      'Expected `ignore` to be a glob or an array of globs, got `[""]` (array)',
    ],
    [
      { recordName: '' },
      RangeError,
      'Expected `recordName` to be a non-empty string, got `""` (string)',
    ],
    [{ group: 'x' }, TypeError, 'Expected `group` to be a function, got `"x"` (string)'],
    [{ signal: {} }, TypeError, 'Expected `signal` to be an AbortSignal, got `{}` (object)'],
    [{ name: '' }, RangeError, 'Expected `name` to be a non-empty string, got `""` (string)'],
    ['x', TypeError, 'Expected `options` to be an object, got `"x"` (string)'],
  ])('rejects options %j', async (options, type, message) => {
    const e = await rejection(Dataset.fromDirectory('.', options as never));
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toBe(message);
  });

  describe('cancellation', () => {
    async function wideTree(): Promise<string> {
      const files: { [path: string]: string } = {};
      for (let i = 0; i < 40; i++) files[`d${i}/s${i}.tif`] = '';
      return tree(files);
    }

    it('rejects with the reason of an already aborted signal', async () => {
      const root = await wideTree();
      const reason = new Error('stop');
      await expect(Dataset.fromDirectory(root, { signal: AbortSignal.abort(reason) })).rejects.toBe(
        reason,
      );
    });

    it('rejects with the signal’s reason when aborted while walking, and removes its listener', async () => {
      const root = await wideTree();
      const controller = new AbortController();
      const reason = { custom: 'reason' };
      const pending = Dataset.fromDirectory(root, { signal: controller.signal });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      queueMicrotask(() => controller.abort(reason));
      await expect(pending).rejects.toBe(reason);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('leaves no listener behind after a walk that completes', async () => {
      const root = await wideTree();
      const controller = new AbortController();
      const ds = await Dataset.fromDirectory(root, { signal: controller.signal });
      expect(ds.size).toBe(40);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });
  });
});
