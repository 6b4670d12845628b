import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePool } from '../../scripts/compile-pool.js';
import { BOOT_VARIABLE, workerEntry } from '../../src/pool/bootstrap.js';

const run = promisify(execFile);

describe('workerEntry', () => {
  it('starts workers from a short data: module that loads the TypeScript entry through tsx when running from source', () => {
    const { filename, env } = workerEntry();
    expect(filename.startsWith('data:text/javascript,')).toBe(true);
    expect(filename.length).toBeLessThan(300);
    expect(filename).toContain('tsImport');
    expect(filename).toContain("Symbol.for('lightdl.pool.markMovable')");
    const boot = JSON.parse(env[BOOT_VARIABLE]!) as Record<string, string>;
    expect(boot['entry']).toBe(new URL('../../src/pool/worker-entry.ts', import.meta.url).href);
    expect(boot['api']).toBe(import.meta.resolve('tsx/esm/api'));
    expect(boot['tinypool']).toBe(import.meta.resolve('tinypool'));
  });
});

describe('JobExecutor compiled to JavaScript', () => {
  // Inside the repository (a git-ignored folder) so that packages resolve from its node_modules.
  const outDir = fileURLToPath(new URL(`../../.cache/pool-dist-${process.pid}/`, import.meta.url));
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('starts workers from the compiled worker-entry.js and runs JavaScript and TypeScript modules', async () => {
    await compilePool(outDir);

    const behaviours = new URL('../fixtures/workers/behaviours.worker.ts', import.meta.url).href;
    const script = `
      import { JobExecutor } from './pool/index.js';
      import { workerEntry } from './pool/bootstrap.js';
      const js = new JobExecutor({ module: 'data:text/javascript,export default (n) => n * 2', workers: 1 });
      const ts = new JobExecutor({ module: ${JSON.stringify(behaviours)}, workers: 1, seed: 9 });
      const bytes = await ts.run({ op: 'bytes', size: 1 << 20, fill: 2 });
      const out = {
        entry: workerEntry(),
        doubled: await js.run(21),
        info: (await ts.run({ op: 'info' })).fromCall,
        bytes: [bytes.byteLength, bytes[0], bytes[bytes.length - 1]],
        failure: await ts.run({ op: 'throw', message: 'from dist' }).catch((e) => e.name + ': ' + e.message),
      };
      await Promise.all([js.close(), ts.close()]);
      console.log(JSON.stringify(out));
    `;
    await writeFile(`${outDir}run.mjs`, script);
    const { stdout } = await run(process.execPath, [`${outDir}run.mjs`], { cwd: outDir });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out['entry']).toEqual({
      filename: fileURLToPath(pathToFileURL(`${outDir}pool/worker-entry.js`)),
      env: {},
    });
    expect(out['doubled']).toBe(42);
    expect(out['info']).toMatchObject({ workerId: 0, generation: 0 });
    expect(out['bytes']).toEqual([1 << 20, 2, 2]);
    expect(out['failure']).toMatch(/^JobFailedError: from dist \[worker 0, job \d+, attempt 1\]$/);
  });
});
