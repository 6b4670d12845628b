/**
 * Benchmark harness shared by every scenario: a scenario returns rows; the runner prints them as
 * a table and writes them as JSON. Also: peak-RSS sampling and main event-loop delay.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One row of a benchmark table: column name → value. */
export type BenchRow = Readonly<Record<string, string | number>>;

/** Options every scenario receives. */
export interface BenchOptions {
  /** Smaller sizes and fewer repetitions (`npm run bench -- --quick`). */
  readonly quick: boolean;
}

/** A benchmark scenario: one file under `bench/`, one table in the output. */
export interface BenchScenario {
  /** Short id, used to select it (`npm run bench -- pool`) and to name its JSON file. */
  readonly name: string;
  /** Table title. */
  readonly title: string;
  /** Runs the scenario; rows are printed in order. */
  run(options: BenchOptions): Promise<readonly BenchRow[]>;
}

/** Formats rows as an aligned text table. */
export function formatTable(title: string, rows: readonly BenchRow[]): string {
  const columns: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (v: string | number | undefined): string =>
    v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : v;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [
    `\n## ${title}\n`,
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  return v.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

/** Samples `process.memoryUsage().rss` every `intervalMs` until stopped; reports the peak (MiB). */
export function sampleRss(intervalMs = 20): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop(): number {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak / 2 ** 20;
    },
  };
}

/** Measures main event-loop delay while running; `stop()` gives p99 and max in ms. */
export function sampleEventLoopDelay(): { stop(): { p99: number; max: number } } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return {
    stop() {
      h.disable();
      return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
    },
  };
}

/** Runs `fn` `n` times after `warmup` runs; returns the median duration in ms. */
export async function medianMs(fn: () => Promise<unknown>, n: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
