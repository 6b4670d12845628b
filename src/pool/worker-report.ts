/**
 * One worker slot in an {@link ExecutorReport}.
 *
 * @example
 * ```ts
 * declare const ex: JobExecutor<number, number>;
 * for (const w of ex.report().workers) console.log(w.workerId, w.generation, w.state, w.job);
 * ```
 */
export interface WorkerReport {
  /** The slot, `0 … workers - 1`. */
  readonly workerId: number;
  /** Generation of the worker in the slot (`-1` before the first one has started). */
  readonly generation: number;
  /** `'starting'` (loading its module), `'idle'`, `'busy'` (running `job`) or `'stopped'` (after close). */
  readonly state: 'starting' | 'idle' | 'busy' | 'stopped';
  /** Id of the job it is running, when `busy`. */
  readonly job?: number;
  /** Jobs this slot finished successfully (all generations). */
  readonly completed: number;
  /** Jobs whose function failed in this slot (all generations). */
  readonly failed: number;
}
