/**
 * Compiles TypeScript sources of this repository to plain JavaScript in a folder of its own, the
 * way the package ships them, so that tests and benchmarks can run compiled code without a full
 * build. The folder must be inside the repository, so that packages resolve from its
 * `node_modules`.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { repositoryRoot } from './repository-root.js';

/** What to compile: folders or files relative to `rootDir`, which `outDir` mirrors. */
export interface CompileSources {
  /** Absolute, ending in `/`. */
  readonly outDir: string;
  /** Relative to the repository's root, e.g. `'src'`. */
  readonly rootDir: string;
  /** Folders (everything in them) to compile, relative to the repository's root. */
  readonly include?: readonly string[];
  /** Entry files (and what they import) to compile, relative to the repository's root. */
  readonly files?: readonly string[];
}

/** Compiles with tsc and the build's compiler options, without declarations or source maps. */
export async function compileSources(c: CompileSources): Promise<void> {
  await mkdir(c.outDir, { recursive: true });
  const root = repositoryRoot();
  const at = (path: string): string => `${root}${path}`;
  const tsconfig = {
    extends: at('tsconfig.build.json'),
    compilerOptions: {
      outDir: c.outDir,
      rootDir: at(c.rootDir),
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: false,
    },
    include: (c.include ?? []).map(at),
    files: (c.files ?? []).map(at),
  };
  await writeFile(`${c.outDir}tsconfig.json`, JSON.stringify(tsconfig));
  await promisify(execFile)(process.execPath, [
    at('node_modules/typescript/bin/tsc'),
    '-p',
    `${c.outDir}tsconfig.json`,
  ]);
}
