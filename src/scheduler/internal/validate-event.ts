/**
 * Rejects events the shell can never legitimately send, with the house message shape.
 *
 * @internal
 */
import { assertInteger, expected } from '../../internal/validate.js';
import type { SchedulerEvent } from '../scheduler-event.js';
import type { SchedulerState } from '../scheduler-state.js';
import { patientIndex } from './draft.js';

const TYPES: readonly SchedulerEvent['type'][] = [
  'start',
  'tick',
  'loadSucceeded',
  'loadFailed',
  'workerExited',
  'chunkProduced',
  'collectorFinished',
  'collectorFailed',
  'pull',
  'message',
  'checkpoint',
  'close',
];

const SLOT_EVENTS = new Set<string>([
  'loadSucceeded',
  'loadFailed',
  'workerExited',
  'chunkProduced',
  'collectorFinished',
  'collectorFailed',
  'checkpoint',
]);

/** Throws a `TypeError`/`RangeError` for a malformed or impossible event. */
export function validateEvent(
  state: SchedulerState,
  event: unknown,
): asserts event is SchedulerEvent {
  if (event === null || typeof event !== 'object') {
    throw new TypeError(expected('event', 'an object', event));
  }
  const e = event as Record<string, unknown>;
  if (typeof e.type !== 'string' || !(TYPES as readonly string[]).includes(e.type)) {
    const what = `one of ${TYPES.map((t) => `'${t}'`).join(', ')}`;
    throw new TypeError(expected('event.type', what, e.type));
  }
  if (typeof e.now !== 'number' || Number.isNaN(e.now)) {
    throw new TypeError(expected('event.now', 'a number', e.now));
  }
  if (e.now < state.now) {
    throw new RangeError(expected('event.now', `≥ the previous event's time ${state.now}`, e.now));
  }
  if (SLOT_EVENTS.has(e.type)) validateSlotEvent(state, e);
  switch (e.type) {
    case 'loadFailed':
    case 'collectorFailed':
      validateFailure('event.error', e.error);
      break;
    case 'workerExited':
      if (e.error !== undefined) validateFailure('event.error', e.error);
      break;
    case 'chunkProduced':
      if (e.count !== undefined) assertInteger('event.count', e.count, 1);
      break;
    case 'pull':
      assertInteger('event.count', e.count, 0);
      break;
    case 'message':
      if (typeof e.patient !== 'string' || patientIndex(state.config, e.patient) === undefined) {
        const what = 'the id of a known patient';
        if (typeof e.patient !== 'string')
          throw new TypeError(expected('event.patient', what, e.patient));
        throw new RangeError(expected('event.patient', what, e.patient));
      }
      break;
    default:
      break;
  }
}

function validateSlotEvent(state: SchedulerState, e: Record<string, unknown>): void {
  const k = state.slots.length;
  assertInteger('event.slot', e.slot, 0, k - 1);
  assertInteger('event.tenure', e.tenure, 0);
  const issued = state.slots[e.slot as number]!.tenure;
  if ((e.tenure as number) > issued) {
    throw new RangeError(
      expected(
        'event.tenure',
        `a tenure issued to slot ${String(e.slot)} (at most ${issued})`,
        e.tenure,
      ),
    );
  }
}

function validateFailure(name: string, value: unknown): void {
  const v = value as { code?: unknown; message?: unknown } | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    typeof v.code !== 'string' ||
    typeof v.message !== 'string'
  ) {
    throw new TypeError(expected(name, 'an object with string `code` and `message`', value));
  }
}
