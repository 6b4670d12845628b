import type { SchedulerState } from './scheduler-state.js';

/**
 * The patients that are still scheduled at all (not set aside), active or not; in dataset order.
 *
 * @remarks
 * At steady state (backoffs expired), the number of active patients is
 * `min(numBigChunkLoaders, eligiblePatients(state).length)`.
 *
 * @param state - A scheduler state.
 * @returns Patient ids.
 * @example
 * ```ts
 * eligiblePatients(initialState({ patients: [{ id: 'a' }] })); // ['a']
 * ```
 */
export function eligiblePatients(state: SchedulerState): readonly string[] {
  return state.patients.filter((p) => !p.setAside).map((p) => p.id);
}
