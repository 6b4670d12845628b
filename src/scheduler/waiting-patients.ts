import type { SchedulerState } from './scheduler-state.js';

/**
 * The patients that could be admitted right now: not active, not set aside, not backing off; in
 * dataset order.
 *
 * @param state - A scheduler state.
 * @returns Patient ids.
 * @example
 * ```ts
 * const state = initialState({ patients: [{ id: 'a' }, { id: 'b' }], numBigChunkLoaders: 1 });
 * waitingPatients(step(state, { type: 'start', now: 0 }).state).length; // 1
 * ```
 */
export function waitingPatients(state: SchedulerState): readonly string[] {
  return state.patients
    .filter((p) => !p.setAside && p.slot === undefined && p.retryAt <= state.now)
    .map((p) => p.id);
}
