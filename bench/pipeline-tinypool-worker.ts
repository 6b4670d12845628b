import { Tinypool } from 'tinypool';
import { WORKERS } from './pipeline-workload.js';

/**
 * The tinypool of the raw-tinypool rows: {@link WORKERS} threads running the task module
 * `bench/workers/<task>`. Worker threads cannot load TypeScript by themselves, so they start from
 * a small JavaScript module that loads the task (through tsx when the benchmark runs from its
 * TypeScript sources, as plain JavaScript once compiled) and, when asked, marks its result's
 * `data.buffer` movable (with the tinypool instance the worker runs under, so the transfer is
 * recognised).
 *
 * @param task - The task module's name without extension; its default export is the task.
 * @param movable - Whether the task returns `{ data: Uint8Array }` whose buffer should move.
 * @returns The pool (destroy it when done).
 */
export function rawTinypool(task: string, movable: boolean): Tinypool {
  const typescript = import.meta.url.endsWith('.ts');
  const href = new URL(`./workers/${task}${typescript ? '.ts' : '.js'}`, import.meta.url).href;
  const source = [
    `import { Tinypool, markMovable } from ${JSON.stringify(import.meta.resolve('tinypool'))};`,
    ...(typescript
      ? [
          `import { tsImport } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};`,
          `const task = await tsImport(${JSON.stringify(href)}, ${JSON.stringify(import.meta.url)});`,
        ]
      : [`const task = await import(${JSON.stringify(href)});`]),
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
