/**
 * Runs one measurement in a fresh process (`node <script> ...args`, with `--import tsx` for a
 * TypeScript script) and returns the JSON it prints on a line starting with a given prefix.
 * Benchmarks measure each row in a process of its own so that rows never share a heap, RSS,
 * libvips caches or libuv's thread pool.
 */
import { spawn } from 'node:child_process';

/** A child's result plus how its process ended. */
export interface ChildResult<T> {
  readonly result: T;
  /** Whether the process exited by itself within {@link EXIT_GRACE_MS} after its result. */
  readonly exitedCleanly: boolean;
}

/** How long a child may take to exit once it printed its result. */
const EXIT_GRACE_MS = 10_000;

/**
 * Runs `script` with `args` in a fresh Node process, with tsx if `script` is TypeScript.
 *
 * @param label - Names the run in errors.
 * @param prefix - The result line's prefix; what follows it is parsed as JSON.
 * @param timeoutMs - The process is killed, and the run fails, after this long without a result.
 * @throws Error if the process fails, prints no result, or times out.
 */
export function runInChild<T>(
  label: string,
  script: string,
  args: readonly string[],
  prefix: string,
  timeoutMs: number,
): Promise<ChildResult<T>> {
  return new Promise<ChildResult<T>>((resolve, reject) => {
    const loader = /\.(?:c|m)?ts$/.test(script) ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...loader, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let result: { value: T } | undefined;
    let exitedCleanly = true;
    let timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} printed no result within ${timeoutMs} ms; killed`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n').find((l) => l.startsWith(prefix));
      if (line === undefined || result !== undefined) return;
      result = { value: JSON.parse(line.slice(prefix.length)) as T };
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
      if (result === undefined) {
        reject(new Error(`${label} exited (${signal ?? `code ${code}`}) without a result`));
      } else if (code !== 0 && exitedCleanly) {
        reject(new Error(`${label} exited with code ${code} after its result`));
      } else {
        resolve({ result: result.value, exitedCleanly });
      }
    });
  });
}
