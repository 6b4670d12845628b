/**
 * The defaults of every optional {@link SchedulerConfig} field, applied in one place by
 * {@link initialState}.
 *
 * @example
 * ```ts
 * SCHEDULER_DEFAULTS.maxLengthQueueSmallChunk; // 64
 * ```
 */
export const SCHEDULER_DEFAULTS = Object.freeze({
  /** Slots: patients active at once. */
  numBigChunkLoaders: 4,
  /** Bound of each slot's queue, in small chunks. */
  maxLengthQueueSmallChunk: 64,
  /** Bound of the merged queue, in small chunks. */
  maxLengthQueueLightDL: 512,
  /** Loads in flight at once: unbounded (at most one per slot, plus stopped ones). */
  maxInFlight: Infinity,
  /** One swap every 10 s, as in PyDmed. */
  rescheduleIntervalMs: 10_000,
  /** PyDmed's scheduling rule. */
  policy: 'pydmed',
  /** An ended tenure's queued small chunks go to the output. */
  onSwap: 'drain',
  /** Failure policy. */
  failure: Object.freeze({
    /** Set a patient aside after 3 failures in a row. */
    maxConsecutiveFailures: 3,
    /** First backoff: 1 s. */
    backoffMs: 1000,
    /** Backoff doubles after each failure. */
    backoffFactor: 2,
    /** Backoff never exceeds 30 s (or `backoffMs`, if larger). */
    maxBackoffMs: 30_000,
    /** Carry on without the patient. */
    onExhausted: 'set-aside',
  }),
  /** Undelivered messages kept per patient. */
  maxPendingMessages: 16,
  /** Seed of every random choice. */
  seed: 0,
} as const);
