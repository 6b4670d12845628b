import { Rng } from '../internal/rng.js';
import { resolveConfig } from './internal/resolve-config.js';
import type { SchedulerConfig } from './scheduler-config.js';
import type { SchedulerState, SlotState } from './scheduler-state.js';

/**
 * The scheduler's state before any event: every slot empty, nothing scheduled.
 *
 * @remarks
 * Applies the defaults ({@link SCHEDULER_DEFAULTS}) and validates the configuration at once, so a
 * bad option fails here rather than in the middle of a run. Feed a `start` event to
 * {@link step} to fill the slots.
 *
 * @param config - The patients and options.
 * @returns The initial state.
 * @throws `TypeError` or `RangeError` for an invalid option, with a message of the form
 * ``Expected `numBigChunkLoaders` to be an integer ≥ 1, got `0` (number)``.
 * @example
 * ```ts
 * const state = initialState({
 *   patients: [{ id: 'a', label: 'tumour' }, { id: 'b', label: 'normal' }],
 *   numBigChunkLoaders: 1,
 *   policy: 'label-balanced',
 *   seed: 42,
 * });
 * ```
 */
export function initialState(config: SchedulerConfig): SchedulerState {
  const resolved = resolveConfig(config);
  const slots: SlotState[] = [];
  for (let index = 0; index < resolved.numBigChunkLoaders; index++) {
    slots.push({
      index,
      phase: 'empty',
      patient: undefined,
      tenure: 0,
      bigChunk: 0,
      credit: 0,
      queue: [],
      queued: 0,
      produced: 0,
      since: -Infinity,
      pendingOrder: 0,
    });
  }
  return {
    config: resolved,
    now: -Infinity,
    started: false,
    closed: false,
    exhausted: false,
    idle: false,
    slots,
    patients: resolved.patients.map((p) => ({
      id: p.id,
      slot: undefined,
      timesScheduled: 0,
      lastScheduledSeq: 0,
      lastScheduledAt: undefined,
      produced: 0,
      delivered: 0,
      dropped: 0,
      consecutiveFailures: 0,
      failures: 0,
      retryAt: -Infinity,
      setAside: false,
      checkpoint: undefined,
      messages: [],
      lastMessage: undefined,
    })),
    merged: [],
    mergedCount: 0,
    demand: 0,
    mergeCursor: 0,
    nextTenure: 1,
    nextSwapAt: Infinity,
    lastPullAt: -Infinity,
    scheduleSeq: 0,
    pendingSeq: 0,
    counters: {
      produced: 0,
      merged: 0,
      drained: 0,
      delivered: 0,
      dropped: { swap: 0, failure: 0, close: 0 },
      lateChunks: 0,
      ignoredEvents: 0,
      loadsStarted: 0,
      loadsSucceeded: 0,
      loadsFailed: 0,
      collectorsFailed: 0,
      granted: 0,
      tenures: 0,
      swaps: 0,
      swapsSkipped: 0,
      messagesDelivered: 0,
      messagesDropped: 0,
      setAside: 0,
    },
    rng: Rng.seeded(resolved.seed).state(),
  };
}
