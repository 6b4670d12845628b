/**
 * Runs one row of the pipeline benchmark in a child process (`node <compiled>/bench/pipeline-row.js
 * <row>`) and returns its measurement. Rows run compiled, as the package ships: the scenario
 * first compiles `src` and the rows with tsc into a git-ignored folder ({@link compileRows}).
 * Run from TypeScript through tsx, every worker thread also carries tsx's module hooks and
 * compiled-module caches: about 100 MiB more peak memory for LightDL's two workers.
 */
import { fileURLToPath } from 'node:url';
import { compileSources } from '../scripts/compile-sources.js';
import { runInChild } from './child.js';
import { RESULT_PREFIX, type RowMeasurement } from './pipeline-measure.js';

/** A row's measurement plus how its process ended. */
export interface ChildRun {
  readonly measurement: RowMeasurement;
  /** Whether the process exited by itself soon after its result. */
  readonly exitedCleanly: boolean;
}

/** Where the rows are compiled. */
const OUT_DIR = fileURLToPath(new URL('../.cache/bench-pipeline-dist/', import.meta.url));

/**
 * Compiles the library and the rows' scripts (with their worker modules) to JavaScript.
 *
 * @returns The row script to hand to {@link runRowInChild}.
 */
export async function compileRows(): Promise<string> {
  await compileSources({
    outDir: OUT_DIR,
    rootDir: '',
    include: ['src'],
    files: [
      'bench/pipeline-row.ts',
      'bench/workers/pipeline-read-cut.ts',
      'bench/workers/pipeline-read-cut-shared.ts',
    ],
  });
  return `${OUT_DIR}bench/pipeline-row.js`;
}

/**
 * Runs `row` for `patches` patches in a fresh process.
 *
 * @param script - The row script, from {@link compileRows} (or `bench/pipeline-row.ts`).
 * @param timeoutMs - The process is killed, and the run fails, after this long without a result.
 * @throws Error if the process fails, prints no result, or times out.
 */
export async function runRowInChild(
  script: string,
  row: string,
  patches: number,
  seed: number,
  timeoutMs: number,
): Promise<ChildRun> {
  const { result, exitedCleanly } = await runInChild<RowMeasurement>(
    `Row ${row}`,
    script,
    [row, '--patches', String(patches), '--seed', String(seed)],
    RESULT_PREFIX,
    timeoutMs,
  );
  return { measurement: result, exitedCleanly };
}
