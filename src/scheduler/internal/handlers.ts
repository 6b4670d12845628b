/**
 * What each event does to the draft, before the common follow-up of `step`.
 *
 * @internal
 */
import { expected } from '../../internal/validate.js';
import type { FailureInfo } from '../failure-info.js';
import type {
  ChunkProducedEvent,
  PatientMessageEvent,
  SchedulerEvent,
  SlotEventBase,
} from '../scheduler-event.js';
import type { SlotState } from '../scheduler-state.js';
import type { Draft } from './draft.js';
import { appendRun } from './flow.js';
import { failTenant } from './failures.js';
import { closeAll } from './shutdown.js';
import { hasTenant } from './tenures.js';

const WORKER_EXITED: FailureInfo = Object.freeze({
  code: 'ERR_WORKER_EXITED',
  message: 'The worker exited',
});

/** Applies `event` to the draft. */
export function handle(d: Draft, event: SchedulerEvent): void {
  switch (event.type) {
    case 'start':
      if (d.started) return ignore(d);
      d.started = true;
      d.nextSwapAt = d.now + d.config.rescheduleIntervalMs;
      return;
    case 'tick':
      // Time passing is all a tick brings: backoffs and swaps are handled by the follow-up.
      return;
    case 'loadSucceeded': {
      const s = current(d, event, 'loading');
      if (s === undefined) return ignore(d);
      d.setSlot(s.index, { phase: 'collecting' });
      d.counters.loadsSucceeded++;
      return;
    }
    case 'loadFailed': {
      const s = current(d, event, 'loading');
      if (s === undefined) return ignore(d);
      return failTenant(d, s.index, 'loader', event.error);
    }
    case 'workerExited': {
      const s = current(d, event, 'loading') ?? current(d, event, 'collecting');
      if (s === undefined) return ignore(d);
      const source = s.phase === 'loading' ? 'loader' : 'collector';
      return failTenant(d, s.index, source, event.error ?? WORKER_EXITED);
    }
    case 'chunkProduced':
      return produced(d, event);
    case 'collectorFinished': {
      const s = current(d, event, 'collecting');
      if (s === undefined) return ignore(d);
      d.pendingSeq++;
      d.setSlot(s.index, {
        phase: 'pending',
        credit: 0,
        bigChunk: s.bigChunk + 1,
        pendingOrder: d.pendingSeq,
      });
      succeeded(d, s.patient as string);
      return;
    }
    case 'collectorFailed': {
      const s = current(d, event, 'collecting');
      if (s === undefined) return ignore(d);
      return failTenant(d, s.index, 'collector', event.error);
    }
    case 'pull':
      d.demand += event.count;
      if (event.count > 0) d.lastPullAt = d.now;
      return;
    case 'message':
      return message(d, event);
    case 'checkpoint': {
      const s = d.slot(event.slot);
      if (s.tenure !== event.tenure || !hasTenant(s.phase)) return ignore(d);
      d.setPatient(s.patient as string, { checkpoint: event.value });
      return;
    }
    case 'close':
      return closeAll(d, 'close');
  }
}

function ignore(d: Draft): void {
  d.counters.ignoredEvents++;
}

/** The slot of a slot event if the event belongs to its current tenure and `phase`. */
function current(d: Draft, e: SlotEventBase, phase: SlotState['phase']): SlotState | undefined {
  const s = d.slot(e.slot);
  return s.tenure === e.tenure && s.phase === phase ? s : undefined;
}

function succeeded(d: Draft, id: string): void {
  if (d.patient(id).consecutiveFailures > 0) d.setPatient(id, { consecutiveFailures: 0 });
}

function produced(d: Draft, e: ChunkProducedEvent): void {
  const count = e.count ?? 1;
  const s = current(d, e, 'collecting');
  if (s === undefined) {
    d.counters.lateChunks += count;
    return ignore(d);
  }
  if (count > s.credit) {
    throw new RangeError(
      expected('event.count', `within the slot's outstanding credit (at most ${s.credit})`, count),
    );
  }
  const queue = s.queue.slice();
  appendRun(queue, s.patient as string, s.tenure, count);
  d.setSlot(s.index, {
    credit: s.credit - count,
    queue,
    queued: s.queued + count,
    produced: s.produced + count,
  });
  d.counters.produced += count;
  succeeded(d, s.patient as string);
}

function message(d: Draft, e: PatientMessageEvent): void {
  const p = d.patient(e.patient);
  const s = p.slot === undefined ? undefined : d.slot(p.slot);
  if (s !== undefined && (s.phase === 'loading' || s.phase === 'collecting')) {
    d.setPatient(p.id, { lastMessage: e.payload });
    d.counters.messagesDelivered++;
    d.emit({
      type: 'deliverMessage',
      slot: s.index,
      tenure: s.tenure,
      patient: p.id,
      payload: e.payload,
    });
    return;
  }
  let messages = [...p.messages, e.payload];
  if (messages.length > d.config.maxPendingMessages) {
    d.counters.messagesDropped += messages.length - d.config.maxPendingMessages;
    messages = messages.slice(-d.config.maxPendingMessages);
  }
  d.setPatient(p.id, { messages, lastMessage: e.payload });
}
