import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Wraps `fs.promises.stat` to measure how many calls are in flight at once. */
const probe = vi.hoisted(() => ({ inFlight: 0, maxInFlight: 0, calls: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    stat: async (path: string) => {
      probe.calls.push(path);
      probe.inFlight++;
      probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        return await real.stat(path);
      } finally {
        probe.inFlight--;
      }
    },
  };
});

const { checkFiles } = await import('../../src/dataset/check-files.js');
const { removeTree, tempTree } = await import('./arbitraries.js');

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map(removeTree));
  probe.inFlight = 0;
  probe.maxInFlight = 0;
  probe.calls = [];
});

function file(path: string, line: number): Parameters<typeof checkFiles>[0][number] {
  return { path, issue: { line, path }, describe: `row ${line}` };
}

describe('checkFiles', () => {
  it('never runs more than `concurrency` stats at once, and reaches that bound', async () => {
    const root = await tempTree({ 'a.tif': '' });
    roots.push(root);
    const files = Array.from({ length: 40 }, (_, i) => file(join(root, `f${i}.tif`), i + 2));
    const issues = await checkFiles(files, 3, undefined);
    expect(probe.maxInFlight).toBe(3);
    expect(issues).toHaveLength(40);
  });

  it('reports every unusable file in input order, and probes a shared file once', async () => {
    const root = await tempTree({ 'ok.tif': '' });
    roots.push(root);
    await mkdir(join(root, 'dir'));
    const files = [
      file(join(root, 'z.tif'), 2),
      file(join(root, 'ok.tif'), 3),
      file(join(root, 'dir'), 4),
      file(join(root, 'z.tif'), 5),
    ];
    const issues = await checkFiles(files, 8, undefined);
    expect(issues).toEqual([
      {
        line: 2,
        path: join(root, 'z.tif'),
        message: `File not found: ${join(root, 'z.tif')} (row 2)`,
      },
      {
        line: 4,
        path: join(root, 'dir'),
        message: `Not a file (a folder): ${join(root, 'dir')} (row 4)`,
      },
      {
        line: 5,
        path: join(root, 'z.tif'),
        message: `File not found: ${join(root, 'z.tif')} (row 5)`,
      },
    ]);
    expect(probe.calls.filter((c) => c.endsWith('z.tif'))).toHaveLength(1);
  });

  it('stops starting probes once aborted and rejects with the reason', async () => {
    const files = Array.from({ length: 100 }, (_, i) => file(`/nonexistent/f${i}`, i + 2));
    const controller = new AbortController();
    const reason = new Error('enough');
    const pending = checkFiles(files, 2, controller.signal);
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
    await vi.waitFor(() => expect(probe.inFlight).toBe(0));
    expect(probe.calls.length).toBeLessThan(100);
  });
});
