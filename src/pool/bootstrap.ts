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
 * @internal
 */
import { fileURLToPath } from 'node:url';

/** The `filename` to give tinypool. */
export function workerEntryFilename(): string {
  const self = import.meta.url;
  if (!/\.(?:c|m)?ts$/.test(new URL(self).pathname)) {
    return fileURLToPath(new URL('./worker-entry.js', self));
  }
  const entry = new URL('./worker-entry.ts', self).href;
  const api = import.meta.resolve('tsx/esm/api');
  const tinypool = import.meta.resolve('tinypool');
  const source = [
    `import { markMovable } from ${JSON.stringify(tinypool)};`,
    `import { tsImport } from ${JSON.stringify(api)};`,
    `globalThis[Symbol.for('lightdl.pool.markMovable')] = markMovable;`,
    `const entry = await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(api)});`,
    `export default entry.default;`,
  ].join('\n');
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
