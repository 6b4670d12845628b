import type { SchedulerState } from './scheduler-state.js';

/**
 * When the shell should next feed a `tick`: the next swap, or the end of a backoff that would
 * let a vacant slot be filled, whichever is first.
 *
 * @remarks
 * The shell needs a single timer: after each step, (re)arm it for `nextWakeAt(state)`, and on
 * expiry feed `{ type: 'tick', now }`. Nothing else in the scheduler depends on time.
 *
 * @param state - A scheduler state.
 * @returns A time in ms, or `undefined` when no tick can change anything (not started, closed,
 * exhausted, or nothing planned).
 * @example
 * ```ts
 * const { state } = step(initialState({ patients: [{ id: 'a' }], rescheduleIntervalMs: 2000 }), { type: 'start', now: 0 });
 * nextWakeAt(state); // 2000
 * ```
 */
export function nextWakeAt(state: SchedulerState): number | undefined {
  if (!state.started || state.closed || state.exhausted) return undefined;
  // A swap already due waits for a patient to become evictable, which only an event can bring.
  let at = state.nextSwapAt > state.now ? state.nextSwapAt : Infinity;
  if (state.slots.some((s) => s.patient === undefined)) {
    for (const p of state.patients) {
      if (!p.setAside && p.slot === undefined && p.retryAt > state.now && p.retryAt < at) {
        at = p.retryAt;
      }
    }
  }
  return Number.isFinite(at) ? at : undefined;
}
