import type { SchedulerState } from './scheduler-state.js';

/**
 * Loads in flight: slots in phase `loading` plus stopped loads whose outcome was not reported
 * yet. Never more than `maxInFlight`.
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
  let n = state.abandonedLoads.length;
  for (const s of state.slots) if (s.phase === 'loading') n++;
  return n;
}
