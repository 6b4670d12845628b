import type { SchedulerPolicy } from './scheduler-policy.js';

/**
 * A {@link SchedulerConfig} with every default applied and every value validated; held by the
 * state so that `step` needs nothing else.
 *
 * @example
 * ```ts
 * const state = initialState({ patients: [{ id: 'a' }] });
 * state.config.maxLengthQueueLightDL; // 512
 * ```
 */
export interface ResolvedSchedulerConfig {
  /** The patients, in dataset order, with weights filled in. */
  readonly patients: readonly {
    /** Patient id. */
    readonly id: string;
    /** Weight (1 unless given). */
    readonly weight: number;
    /** Label, if given. */
    readonly label: string | undefined;
  }[];
  /** Number of slots. */
  readonly numBigChunkLoaders: number;
  /** Bound of each slot's queue, in small chunks. */
  readonly maxLengthQueueSmallChunk: number;
  /** Bound of the merged queue, in small chunks. */
  readonly maxLengthQueueLightDL: number;
  /** Most loads in flight at once (may be `Infinity`). */
  readonly maxInFlight: number;
  /** Reschedule interval in ms (`Infinity`: never swap). */
  readonly rescheduleIntervalMs: number;
  /** The scheduling policy. */
  readonly policy: SchedulerPolicy;
  /** Disposition of an ended tenure's queued small chunks. */
  readonly onSwap: 'drain' | 'discard';
  /** The failure policy, filled in. */
  readonly failure: {
    /** Consecutive failures before giving up on a patient. */
    readonly maxConsecutiveFailures: number;
    /** First backoff, ms. */
    readonly backoffMs: number;
    /** Backoff growth factor. */
    readonly backoffFactor: number;
    /** Largest backoff, ms. */
    readonly maxBackoffMs: number;
    /** What giving up means. */
    readonly onExhausted: 'set-aside' | 'fail';
  };
  /** Bound of each patient's undelivered-message queue. */
  readonly maxPendingMessages: number;
  /** The seed. */
  readonly seed: number;
  /**
   * Smallest top-up grant, in small chunks: `ceil(maxLengthQueueSmallChunk / 4)`. A collecting
   * slot is granted more credit once its free room reaches this, so grants come in batches rather
   * than one message per chunk.
   */
  readonly grantBatch: number;
}
