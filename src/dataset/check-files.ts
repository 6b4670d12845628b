/**
 * Checking that record files exist, with at most `concurrency` `fs.stat` calls in flight, every
 * missing file reported (in input order, whatever order the checks finish in).
 *
 * @internal
 * @module
 */
import { stat } from 'node:fs/promises';
import type { DatasetIssue } from '../errors.js';
import { raceAbort } from './abortable.js';
import type { FileToCheck } from './manifest-rows.js';

/** Why `path` is not a usable file, or `undefined` if it is one. */
async function probe(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    if (s.isFile()) return undefined;
    return s.isDirectory() ? 'Not a file (a folder)' : 'Not a regular file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'File not found';
    return `Cannot access the file (${code ?? String(err)})`;
  }
}

/**
 * One issue per unusable file. Files shared by several records are probed once.
 * Aborting `signal` stops starting new probes and rejects with `signal.reason`.
 */
export async function checkFiles(
  files: readonly FileToCheck[],
  concurrency: number,
  signal: AbortSignal | undefined,
): Promise<DatasetIssue[]> {
  const paths = [...new Set(files.map((f) => f.path))];
  const verdicts = new Map<string, string | undefined>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length && signal?.aborted !== true) {
      const path = paths[next++] as string;
      verdicts.set(path, await probe(path));
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, paths.length) }, worker);
  await raceAbort(Promise.all(workers), signal);
  signal?.throwIfAborted();
  const issues: DatasetIssue[] = [];
  for (const file of files) {
    const why = verdicts.get(file.path);
    if (why !== undefined)
      issues.push({ ...file.issue, message: `${why}: ${file.path} (${file.describe})` });
  }
  return issues;
}
