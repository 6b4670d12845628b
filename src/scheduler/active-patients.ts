import type { SchedulerState } from './scheduler-state.js';

/**
 * The patients holding a slot (admitted, loading or collecting), in slot order.
 *
 * @remarks
 * A patient appears at most once: the scheduler never gives one patient two slots.
 *
 * @param state - A scheduler state.
 * @returns Patient ids.
 * @example
 * ```ts
 * const { state } = step(initialState({ patients: [{ id: 'a' }, { id: 'b' }] }), { type: 'start', now: 0 });
 * activePatients(state); // ['a', 'b'] in some order
 * ```
 */
export function activePatients(state: SchedulerState): readonly string[] {
  const out: string[] = [];
  for (const s of state.slots) if (s.patient !== undefined) out.push(s.patient);
  return out;
}
