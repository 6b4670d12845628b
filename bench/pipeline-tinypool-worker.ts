/**
 * The `filename` for tinypool in the raw-tinypool rows. Worker threads cannot load TypeScript by
 * themselves, so they start from a small JavaScript module that loads the task through tsx and,
 * when asked, marks its result's `data.buffer` movable (with the tinypool instance the worker
 * runs under, so the transfer is recognised).
 *
 * @param task - The TypeScript module whose default export is the task.
 * @param movable - Whether the task returns `{ data: Uint8Array }` whose buffer should move.
 * @returns A `data:` URL.
 */
export function tinypoolWorkerFilename(task: URL, movable: boolean): string {
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
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
