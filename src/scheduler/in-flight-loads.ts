import type { SchedulerState } from './scheduler-state.js';

/**
 * Loads in flight: slots in phase `loading`. Never more than `maxInFlight`.
 *
 * @remarks
 * A swap never evicts a patient whose load is in flight, so every load in flight belongs to a
 * slot's current tenure.
 *
 * @param state - A scheduler state.
 * @returns The count.
 * @example
 * ```ts
 * const { state } = step(initialState({ patients: [{ id: 'a' }, { id: 'b' }], maxInFlight: 1 }), { type: 'start', now: 0 });
 * inFlightLoads(state); // 1
 * ```
 */
export function inFlightLoads(state: SchedulerState): number {
  let n = 0;
  for (const s of state.slots) if (s.phase === 'loading') n++;
  return n;
}
