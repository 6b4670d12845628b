/**
 * Which file tinypool starts workers from.
 *
 * From `dist/` (this module is `bootstrap.js`), workers load the compiled `worker-entry.js`
 * directly. From source (this module is `bootstrap.ts`, under vitest or tsx), Node's worker
 * threads cannot load TypeScript on their own (`execArgv: ['--import', 'tsx']` is ignored for
 * ESM workers), so workers start from a small `data:` module that loads `worker-entry.ts` through
 * tsx's `tsImport`. It also hands the worker entry the running tinypool's `markMovable`: the
 * entry, once loaded through tsx, sees its own copy of tinypool, whose marks the running one would
 * not recognise.
 *
 * Tinypool sends the entry's file name with every task, so the `data:` module is kept short: the
 * absolute URLs it needs travel once, in an environment variable of the workers.
 *
 * @internal
 */
import { fileURLToPath } from 'node:url';

/** The environment variable that carries the source-mode bootstrap's URLs to the workers. */
export const BOOT_VARIABLE = 'LIGHTDL_POOL_SOURCE_BOOT';

/** What tinypool should load, and the environment variables that must come with it. */
export interface WorkerEntry {
  readonly filename: string;
  readonly env: Readonly<Record<string, string>>;
}

const SOURCE_BOOTSTRAP = [
  `const b = JSON.parse(process.env.${BOOT_VARIABLE});`,
  `globalThis[Symbol.for('lightdl.pool.markMovable')] = (await import(b.tinypool)).markMovable;`,
  `const entry = await (await import(b.api)).tsImport(b.entry, b.api);`,
  `export default entry.default;`,
].join(' ');

/** The entry tinypool starts workers from. */
export function workerEntry(): WorkerEntry {
  const self = import.meta.url;
  if (!/\.(?:c|m)?ts$/.test(new URL(self).pathname)) {
    return { filename: fileURLToPath(new URL('./worker-entry.js', self)), env: {} };
  }
  const boot = {
    entry: new URL('./worker-entry.ts', self).href,
    api: import.meta.resolve('tsx/esm/api'),
    tinypool: import.meta.resolve('tinypool'),
  };
  return {
    filename: `data:text/javascript,${SOURCE_BOOTSTRAP}`,
    env: { [BOOT_VARIABLE]: JSON.stringify(boot) },
  };
}
