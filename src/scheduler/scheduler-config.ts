import type { SchedulerPolicy } from './scheduler-policy.js';

/**
 * A patient as the scheduler knows it: an id, and the weight and label some policies use.
 *
 * @example
 * ```ts
 * const p: SchedulerPatient = { id: 'slide-042', label: 'tumour', weight: 2 };
 * ```
 */
export interface SchedulerPatient {
  /** Unique, non-empty id. */
  readonly id: string;
  /**
   * Relative scheduling weight, used by the `'weighted'` policy and shown to custom policies.
   * A finite number \> 0.
   *
   * @defaultValue `1`
   */
  readonly weight?: number;
  /** Label, used by the `'label-balanced'` policy (required there) and shown to custom policies. */
  readonly label?: string;
}

/**
 * What happens to a patient whose loads or collectors keep failing.
 *
 * @remarks
 * After each failure the patient waits `min(maxBackoffMs, backoffMs × backoffFactor^(n − 1))`
 * milliseconds (n = consecutive failures) before it can be admitted again; meanwhile its slot goes
 * to another patient at once. A success (a small chunk produced, or a collector finishing its big
 * chunk) resets the count. At `maxConsecutiveFailures` the patient is set aside for good
 * (`'set-aside'`, reported with a `setAside` command) or the whole scheduler fails (`'fail'`,
 * a `fatal` command followed by `closed`).
 *
 * @example
 * ```ts
 * const failure: FailurePolicy = { maxConsecutiveFailures: 5, backoffMs: 500, onExhausted: 'fail' };
 * ```
 */
export interface FailurePolicy {
  /**
   * Consecutive failures after which the patient is set aside (or the scheduler fails).
   * An integer ≥ 1.
   *
   * @defaultValue `3`
   */
  readonly maxConsecutiveFailures?: number;
  /**
   * Backoff after the first failure, in milliseconds. A number ≥ 0 (0 retries at once).
   *
   * @defaultValue `1000`
   */
  readonly backoffMs?: number;
  /**
   * Factor applied to the backoff after each further failure. A number ≥ 1.
   *
   * @defaultValue `2`
   */
  readonly backoffFactor?: number;
  /**
   * Upper bound of the backoff, in milliseconds. A number ≥ `backoffMs`.
   *
   * @defaultValue `30000`, or `backoffMs` if that is larger
   */
  readonly maxBackoffMs?: number;
  /**
   * `'set-aside'`: stop scheduling the patient and carry on with the others; `'fail'`: fail the
   * whole scheduler.
   *
   * @defaultValue `'set-aside'`
   */
  readonly onExhausted?: 'set-aside' | 'fail';
}

/**
 * Options of the pure scheduling state machine ({@link initialState}).
 *
 * @remarks
 * Memory is bounded by `numBigChunkLoaders × maxLengthQueueSmallChunk + maxLengthQueueLightDL`
 * small chunks, whatever the consumer does: a slot is never granted credit past its bound, and
 * chunks left behind by an ended tenure (`onSwap: 'drain'`) count against the bound of their slot
 * until they are merged.
 *
 * @example
 * ```ts
 * const config: SchedulerConfig = {
 *   patients: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
 *   numBigChunkLoaders: 2,
 *   rescheduleIntervalMs: 2000,
 *   seed: 1,
 * };
 * ```
 */
export interface SchedulerConfig {
  /** The patients to schedule: at least one, ids unique. */
  readonly patients: readonly SchedulerPatient[];
  /**
   * Number of slots, i.e. patients active at once. An integer ≥ 1; may exceed the number of
   * patients (then every loadable patient is active and no swap happens).
   *
   * @defaultValue `4`
   */
  readonly numBigChunkLoaders?: number;
  /**
   * Bound of each slot's small-chunk queue, in small chunks. An integer ≥ 1.
   *
   * @defaultValue `64`
   */
  readonly maxLengthQueueSmallChunk?: number;
  /**
   * Bound of the merged queue the consumer pulls from, in small chunks. An integer ≥ 1.
   *
   * @defaultValue `512`
   */
  readonly maxLengthQueueLightDL?: number;
  /**
   * Most big-chunk loads in flight at once (the pool's capacity). An integer ≥ 1, or `Infinity`.
   * Slots whose load must wait stay `pending` and load oldest first.
   *
   * @defaultValue `Infinity`
   */
  readonly maxInFlight?: number;
  /**
   * One swap per interval, in milliseconds. A number \> 0, or `Infinity` to never swap (patients
   * then keep their slots until they fail). A due swap waits while the consumer is stalled
   * (nothing asked, the merged queue full, no pull since the swap fell due), until its next pull.
   *
   * @defaultValue `10000`
   */
  readonly rescheduleIntervalMs?: number;
  /**
   * Which patients to admit and evict.
   *
   * @defaultValue `'pydmed'`
   */
  readonly policy?: SchedulerPolicy;
  /**
   * What happens to the queued small chunks of a tenure that ends (swap or failure):
   * `'drain'` merges them into the output, `'discard'` drops them. Counted either way.
   *
   * @defaultValue `'drain'`
   */
  readonly onSwap?: 'drain' | 'discard';
  /** Retry, backoff and give-up rules for failing patients (see {@link FailurePolicy}). */
  readonly failure?: FailurePolicy;
  /**
   * Bound of each patient's queue of undelivered messages; past it the oldest is dropped and
   * counted. An integer ≥ 1.
   *
   * @defaultValue `16`
   */
  readonly maxPendingMessages?: number;
  /**
   * Seed of every random choice. A finite number.
   *
   * @defaultValue `0`
   */
  readonly seed?: number;
}
