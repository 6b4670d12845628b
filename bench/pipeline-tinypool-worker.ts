import { Tinypool } from 'tinypool';
import { WORKERS } from './pipeline-workload.js';

/**
 * The tinypool of the raw-tinypool rows: {@link WORKERS} threads running `task`. Worker threads
 * cannot load TypeScript by themselves, so they start from a small JavaScript module that loads
 * the task through tsx and, when asked, marks its result's `data.buffer` movable (with the
 * tinypool instance the worker runs under, so the transfer is recognised).
 *
 * @param task - The TypeScript module whose default export is the task.
 * @param movable - Whether the task returns `{ data: Uint8Array }` whose buffer should move.
 * @returns The pool (destroy it when done).
 */
export function rawTinypool(task: URL, movable: boolean): Tinypool {
  const source = [
    `import { Tinypool, markMovable } from ${JSON.stringify(import.meta.resolve('tinypool'))};`,
    `import { tsImport } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};`,
    `const task = await tsImport(${JSON.stringify(task.href)}, ${JSON.stringify(import.meta.url)});`,
    `export default async (t) => {`,
    `  const result = await task.default(t);`,
    ...(movable
      ? [
          `  const movable = { [Tinypool.transferableSymbol]: [result.data.buffer], [Tinypool.valueSymbol]: result };`,
          `  markMovable(movable);`,
          `  return movable;`,
        ]
      : [`  return result;`]),
    `};`,
  ].join('\n');
  return new Tinypool({
    filename: `data:text/javascript,${encodeURIComponent(source)}`,
    minThreads: WORKERS,
    maxThreads: WORKERS,
    isolateWorkers: false,
  });
}
