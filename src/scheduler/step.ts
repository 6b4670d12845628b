import type { SchedulerCommand } from './scheduler-command.js';
import type { SchedulerEvent } from './scheduler-event.js';
import type { SchedulerState } from './scheduler-state.js';
import { Draft } from './internal/draft.js';
import { deliver, merge, topUpCredit, updateStatus } from './internal/flow.js';
import { handle } from './internal/handlers.js';
import { fillVacant, issueLoads, maybeSwap } from './internal/tenures.js';
import { validateEvent } from './internal/validate-event.js';

/**
 * What {@link step} returns: the next state and the commands the shell must execute, in order.
 *
 * @example
 * ```ts
 * const { state, commands }: StepResult = step(initialState({ patients: [{ id: 'a' }] }), { type: 'start', now: 0 });
 * ```
 */
export interface StepResult {
  /** The state after the event. The input state is left untouched. */
  readonly state: SchedulerState;
  /** Commands for the shell, in the order to execute them. */
  readonly commands: readonly SchedulerCommand[];
}

/**
 * Advances the scheduler by one event: a pure function of the state and the event.
 *
 * @remarks
 * No I/O, no timers, no clock: time comes from `event.now`, randomness from the seeded generator
 * held in the state. The same state and events always give the same states and commands.
 *
 * After applying the event, every step (until closed) does the same follow-up, in this order:
 * admit patients into vacant slots (policy `'fill'` decisions); merge slot queues into the merged
 * queue round-robin (one chunk per non-empty slot in turn) up to `maxLengthQueueLightDL`, then
 * deliver to the consumer's outstanding demand and merge again into the room that freed, as long
 * as that delivers anything (so a demand larger than the merged queue is served in full within
 * the step, without waiting for another event); swap once if the reschedule interval elapsed
 * (policy `'swap'` decision) — unless the consumer is stalled (nothing asked, the merged queue
 * full, no pull since the swap fell due): then the swap waits for its next pull; issue the loads of `pending` slots while `maxInFlight` allows
 * (oldest first); top up the credit of collecting slots (once the free room reaches
 * `grantBatch`); report `idle` or `exhausted`.
 *
 * Backpressure: a slot is never granted credit past `maxLengthQueueSmallChunk − queued`, chunks
 * move into the merged queue only when it has room, and the consumer receives only what it asked
 * for. So buffers stay bounded whatever the consumer does.
 *
 * Stale events (an ended tenure, a phase that does not fit) are ignored and counted; after
 * `close` every event is ignored and the same state is returned.
 *
 * @param state - The current state (from {@link initialState} or a previous step).
 * @param event - What happened.
 * @returns The next state and the commands to execute.
 * @throws `TypeError` or `RangeError` for an event the shell can never legitimately send: an
 * unknown `type`, `now` not a number or earlier than the previous event, a slot out of range, a
 * tenure never issued to that slot, more chunks than the outstanding credit, a message for an
 * unknown patient, a malformed `error`. Also when a custom policy returns an invalid decision, or
 * rethrows what the custom policy threw.
 * @example
 * ```ts
 * let state = initialState({ patients: [{ id: 'a' }, { id: 'b' }], numBigChunkLoaders: 1, seed: 7 });
 * let commands: readonly SchedulerCommand[];
 * ({ state, commands } = step(state, { type: 'start', now: 0 }));
 * const load = commands.find((c) => c.type === 'load');
 * if (load?.type === 'load') {
 *   ({ state, commands } = step(state, { type: 'loadSucceeded', now: 35, slot: load.slot, tenure: load.tenure }));
 *   // commands: [{ type: 'grant', slot: 0, tenure: 1, credit: 64 }]
 * }
 * ```
 */
export function step(state: SchedulerState, event: SchedulerEvent): StepResult {
  if (state.closed) return { state, commands: [] };
  validateEvent(state, event);
  const d = new Draft(state);
  d.now = event.now;
  handle(d, event);
  if (!d.closed) {
    fillVacant(d);
    merge(d);
    // Demand larger than the merged queue is served in rounds: deliver, refill, deliver…
    for (let delivered = -1; delivered !== d.counters.delivered;) {
      delivered = d.counters.delivered;
      deliver(d);
      merge(d);
    }
    // Swap only after the chunks just produced have moved on, so a due swap never discards them
    // in the very step they arrive.
    maybeSwap(d);
    issueLoads(d);
    topUpCredit(d);
    updateStatus(d);
  }
  return { state: d.finish(), commands: d.commands };
}
