/**
 * Who a worker is: its slot, its seed and how many times the slot was restarted.
 *
 * @remarks
 * `seed` is `deriveSeed(executorSeed, workerId, generation)`, so a fixed executor `seed` gives
 * every worker a fixed, distinct seed, and a restarted worker (generation + 1) a fresh one rather
 * than a replay of the stream that just crashed.
 *
 * @example
 * ```ts
 * import { getWorkerInfo, type WorkerInfo } from 'lightdl';
 * const info: WorkerInfo = getWorkerInfo();
 * console.log(`worker ${info.workerId}, generation ${info.generation}, seed ${info.seed}`);
 * ```
 */
export interface WorkerInfo {
  /** The worker's slot in the pool, `0 … workers - 1`; a replacement takes the same slot. */
  readonly workerId: number;
  /** The worker's seed, a 32-bit unsigned integer derived from the executor's `seed`. */
  readonly seed: number;
  /** How many workers held this slot before this one (0 for the first). */
  readonly generation: number;
}
