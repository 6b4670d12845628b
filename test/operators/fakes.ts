/**
 * Test doubles shared by the operator tests: sources that count pulls and finalisation, runners
 * whose jobs settle when a fast-check scheduler (or the test) says so, and listener counting.
 */
import { getEventListeners } from 'node:events';
import type fc from 'fast-check';
import type { JobRunner, JobRunOptions } from '../../src/pool/job-runner.js';

/** Property-test run count: `FC_NUM_RUNS` or a modest default. */
export const numRuns = Number(process.env.FC_NUM_RUNS ?? 100);

/** Abort listeners currently registered on `signal`. */
export function listeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Lets every pending microtask and I/O callback run (one full event-loop turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** An async generator of `0..n-1` that records what was pulled and whether it was finalised. */
export class CountingSource {
  pulled = 0;
  finalized = false;
  finished = false;
  readonly #n: number;
  readonly #step: (() => Promise<unknown>) | undefined;
  readonly #offset: number;

  /**
   * @param n - Items to yield (`Infinity` for endless).
   * @param step - Awaited before producing each item (e.g. a scheduler task).
   * @param offset - Added to every item (to tell sources apart).
   */
  constructor(n: number, step?: () => Promise<unknown>, offset = 0) {
    this.#n = n;
    this.#step = step;
    this.#offset = offset;
  }

  async *items(): AsyncGenerator<number, void, undefined> {
    try {
      for (let i = 0; i < this.#n; i++) {
        if (this.#step !== undefined) await this.#step();
        this.pulled += 1;
        yield this.#offset + i;
      }
      this.finished = true;
    } finally {
      this.finalized = true;
    }
  }
}

/** A job seen by a {@link FakeRunner}. */
export interface FakeJob<I> {
  readonly id: number;
  readonly input: I;
  readonly signal: AbortSignal;
  readonly transfer: JobRunOptions['transfer'];
  readonly timeoutMs: number | undefined;
  state: 'running' | 'succeeded' | 'failed' | 'aborted';
  abortReason?: unknown;
}

/**
 * A runner whose jobs settle when `release` is called (or, with a scheduler, when the scheduler
 * releases them). An abort rejects the job at once with the signal's reason.
 */
export class FakeRunner<I, O> implements JobRunner<I, O> {
  readonly jobs: FakeJob<I>[] = [];
  readonly #work: (input: I) => O;
  readonly #scheduler: fc.Scheduler | undefined;
  readonly #fails: (input: I) => boolean;
  readonly #releases = new Map<number, () => void>();

  constructor(
    work: (input: I) => O,
    options: { scheduler?: fc.Scheduler; fails?: (input: I) => boolean } = {},
  ) {
    this.#work = work;
    this.#scheduler = options.scheduler;
    this.#fails = options.fails ?? (() => false);
  }

  /** Jobs running now. */
  get running(): FakeJob<I>[] {
    return this.jobs.filter((j) => j.state === 'running');
  }

  /** Jobs whose signal fired. */
  get aborted(): FakeJob<I>[] {
    return this.jobs.filter((j) => j.state === 'aborted');
  }

  run(input: I, options: JobRunOptions = {}): Promise<O> {
    const signal = options.signal ?? new AbortController().signal;
    const job: FakeJob<I> = {
      id: this.jobs.length,
      input,
      signal,
      transfer: options.transfer,
      timeoutMs: options.timeoutMs,
      state: 'running',
    };
    this.jobs.push(job);
    return new Promise<O>((resolve, reject) => {
      const onAbort = (): void => {
        job.state = 'aborted';
        job.abortReason = signal.reason;
        this.#releases.delete(job.id);
        reject(signal.reason as Error);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.#releases.delete(job.id);
        if (job.state !== 'running') return;
        if (this.#fails(input)) {
          job.state = 'failed';
          reject(new Error(`job ${job.id} failed`));
        } else {
          job.state = 'succeeded';
          resolve(this.#work(input));
        }
      };
      if (this.#scheduler !== undefined) {
        void this.#scheduler.schedule(Promise.resolve(), `job ${job.id}`).then(finish);
      } else {
        this.#releases.set(job.id, finish);
      }
    });
  }

  /** Settles the running job `id` (manual mode). */
  release(id: number): void {
    this.#releases.get(id)?.();
  }

  /** Settles every running job (manual mode), oldest first. */
  releaseAll(): void {
    for (const finish of [...this.#releases.values()]) finish();
  }
}

/**
 * Releases the scheduler's tasks one at a time until none is left, even those scheduled in
 * reaction to earlier ones, calling `check` after every step.
 */
export async function drive(s: fc.Scheduler, check: () => void = () => {}): Promise<void> {
  for (;;) {
    await settle();
    if (s.count() === 0) return;
    await s.waitOne();
    check();
  }
}
