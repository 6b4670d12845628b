/**
 * Runs one row of the pipeline benchmark in a child process (`node --import tsx
 * bench/pipeline-row.ts <row>`) and returns its measurement.
 */
import { fileURLToPath } from 'node:url';
import { runInChild } from './child.js';
import { RESULT_PREFIX, type RowMeasurement } from './pipeline-measure.js';

/** A row's measurement plus how its process ended. */
export interface ChildRun {
  readonly measurement: RowMeasurement;
  /** Whether the process exited by itself soon after its result. */
  readonly exitedCleanly: boolean;
}

const ROW_SCRIPT = fileURLToPath(new URL('./pipeline-row.ts', import.meta.url));

/**
 * Runs `row` for `patches` patches in a fresh process.
 *
 * @param timeoutMs - The process is killed, and the run fails, after this long without a result.
 * @throws Error if the process fails, prints no result, or times out.
 */
export async function runRowInChild(
  row: string,
  patches: number,
  seed: number,
  timeoutMs: number,
): Promise<ChildRun> {
  const { result, exitedCleanly } = await runInChild<RowMeasurement>(
    `Row ${row}`,
    ROW_SCRIPT,
    [row, '--patches', String(patches), '--seed', String(seed)],
    RESULT_PREFIX,
    timeoutMs,
  );
  return { measurement: result, exitedCleanly };
}
