/**
 * Compiles `src/pool` (and what it imports) to plain JavaScript in a folder of its own, the way
 * the package ships it, so that tests and benchmarks can run the executor from compiled code
 * without a full build.
 */
import { compileSources } from './compile-sources.js';

/** Compiles into `outDir` (absolute, ending in `/`); `pool/index.js` is then the entry point. */
export async function compilePool(outDir: string): Promise<void> {
  await compileSources({
    outDir,
    rootDir: 'src',
    files: ['src/pool/index.ts', 'src/pool/worker-entry.ts'],
  });
}
