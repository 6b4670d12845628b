/**
 * Shared by the executor's tests: fixture module URLs, an executor factory whose executors are
 * all closed after each test, and small waiting helpers (no wall-clock assertions: they only
 * poll until a condition holds).
 */
import { afterEach } from 'vitest';
import { JobExecutor, type JobExecutorOptions } from '../../src/pool/index.js';
import type { Behaviour } from '../fixtures/workers/behaviours.worker.js';

export type { Behaviour };

/** The behaviours worker (TypeScript, loaded through tsx). */
export const BEHAVIOURS = new URL('../fixtures/workers/behaviours.worker.ts', import.meta.url);
/** A JavaScript module as a `data:` URL (loaded with plain `import()`, no tsx involved). */
export function jsModule(source: string): string {
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** A plain JavaScript worker: `default` doubles, `triple` triples. */
export const DOUBLE_JS = jsModule(
  'export default (n) => n * 2; export function triple(n) { return n * 3; } export const notAFunction = 42;',
);
/** Throws while being imported. */
export const IMPORT_FAILS = jsModule("throw new Error('broken at import');");
/** Its `workerInit` throws. */
export const INIT_FAILS = jsModule(
  "export function workerInit() { throw new Error('init refused'); } export default (n) => n;",
);
/** Ends its worker while being imported. */
export const EXIT_AT_START = jsModule('process.exit(7);');

/** fast-check run count: `FC_NUM_RUNS` or `fallback`. */
export function numRuns(fallback: number): number {
  const fromEnv = Number(process.env['FC_NUM_RUNS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/**
 * Executors created through the returned factory are closed (terminating their workers) after
 * each test of the calling file.
 */
export function executorFactory(): <I = Behaviour, O = unknown>(
  options: Partial<JobExecutorOptions>,
) => JobExecutor<I, O> {
  const created: JobExecutor<never, unknown>[] = [];
  afterEach(async () => {
    const all = created.splice(0);
    await Promise.all(all.map((ex) => ex.close({ timeoutMs: 0 })));
  });
  return <I, O>(options: Partial<JobExecutorOptions>) => {
    const ex = new JobExecutor<I, O>({ module: BEHAVIOURS, workers: 2, ...options });
    created.push(ex);
    return ex;
  };
}

/** Polls `condition` every 5 ms until it holds (or `limit` polls pass, then throws). */
export async function until(condition: () => boolean, limit = 2_000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('Condition never held');
}

/** Resolves with how a promise settled, without throwing. */
export async function settled<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs `body`, then waits a turn of the event loop for warnings Node emits asynchronously;
 * resolves with the `MaxListenersExceededWarning`s emitted meanwhile.
 */
export async function listenerLeakWarnings(body: () => Promise<void>): Promise<Error[]> {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  process.on('warning', onWarning);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
}
