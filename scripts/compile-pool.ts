/**
 * Compiles `src/pool` (and what it imports) to plain JavaScript in a folder of its own, the way
 * the package ships it, so that tests and benchmarks can run the executor from compiled code
 * without a full build. The folder must be inside the repository, so that packages resolve from
 * its `node_modules`.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Compiles into `outDir` (absolute, ending in `/`); `pool/index.js` is then the entry point. */
export async function compilePool(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const tsconfig = {
    extends: `${root}tsconfig.build.json`,
    compilerOptions: {
      outDir,
      rootDir: `${root}src`,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: false,
    },
    include: [],
    files: [`${root}src/pool/index.ts`, `${root}src/pool/worker-entry.ts`],
  };
  await writeFile(`${outDir}tsconfig.json`, JSON.stringify(tsconfig));
  await promisify(execFile)(process.execPath, [
    `${root}node_modules/typescript/bin/tsc`,
    '-p',
    `${outDir}tsconfig.json`,
  ]);
}
