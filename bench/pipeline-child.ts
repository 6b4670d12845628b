/**
 * Runs one row of the pipeline benchmark in a child process (`node --import tsx
 * bench/pipeline-row.ts <row>`) and returns its measurement.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type RowMeasurement } from './pipeline-measure.js';

/** A row's measurement plus how its process ended. */
export interface ChildRun {
  readonly measurement: RowMeasurement;
  /** Whether the process exited by itself within {@link EXIT_GRACE_MS} after its result. */
  readonly exitedCleanly: boolean;
}

/** How long a row's process may take to exit once it printed its result. */
const EXIT_GRACE_MS = 10_000;

const ROW_SCRIPT = fileURLToPath(new URL('./pipeline-row.ts', import.meta.url));

/**
 * Runs `row` for `patches` patches in a fresh process.
 *
 * @param timeoutMs - The process is killed, and the run fails, after this long without a result.
 * @throws Error if the process fails, prints no result, or times out.
 */
export function runRowInChild(
  row: string,
  patches: number,
  seed: number,
  timeoutMs: number,
): Promise<ChildRun> {
  return new Promise<ChildRun>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ROW_SCRIPT, row, '--patches', String(patches), '--seed', String(seed)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    let measurement: RowMeasurement | undefined;
    let exitedCleanly = true;
    let timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Row ${row} printed no result within ${timeoutMs} ms; killed`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line === undefined || measurement !== undefined) return;
      measurement = JSON.parse(line.slice(RESULT_PREFIX.length)) as RowMeasurement;
      clearTimeout(timer);
      timer = setTimeout(() => {
        exitedCleanly = false;
        child.kill('SIGKILL');
      }, EXIT_GRACE_MS);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (measurement === undefined) {
        reject(new Error(`Row ${row} exited (${signal ?? `code ${code}`}) without a result`));
      } else if (code !== 0 && exitedCleanly) {
        reject(new Error(`Row ${row} exited with code ${code} after its result`));
      } else {
        resolve({ measurement, exitedCleanly });
      }
    });
  });
}
