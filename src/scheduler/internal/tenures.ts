/**
 * Starting and ending tenures, admitting patients into vacant slots, and issuing loads.
 *
 * @internal
 */
import type { PatientState, SlotPhase, SlotState } from '../scheduler-state.js';
import type { Draft } from './draft.js';
import { decide } from './policies.js';

/** Whether a slot in `phase` holds a patient. */
export function hasTenant(phase: SlotPhase): boolean {
  return phase === 'pending' || phase === 'loading' || phase === 'collecting';
}

/** Patients that may be admitted now, in dataset order. */
export function admissible(d: Draft): PatientState[] {
  return d.patients.filter((p) => !p.setAside && p.slot === undefined && p.retryAt <= d.now);
}

/** Tenants of the slots, in slot order. */
export function tenants(d: Draft): PatientState[] {
  const out: PatientState[] = [];
  for (const s of d.slots) if (s.patient !== undefined) out.push(d.patient(s.patient));
  return out;
}

/**
 * Whether the tenant of `s` may be swapped out: it is collecting and has served something in this
 * tenure (a small chunk, or a whole big chunk). A swap never throws away a load in progress, so
 * a reschedule interval shorter than a load cannot starve the consumer.
 */
export function evictable(s: SlotState): boolean {
  return s.phase === 'collecting' && (s.produced > 0 || s.bigChunk > 0);
}

/** Gives `slot` a new tenure for patient `id`; its load waits in `pending`. */
export function startTenure(d: Draft, slot: number, id: string): void {
  const tenure = d.nextTenure++;
  const p = d.patient(id);
  d.scheduleSeq++;
  d.pendingSeq++;
  d.setPatient(id, {
    slot,
    timesScheduled: p.timesScheduled + 1,
    lastScheduledSeq: d.scheduleSeq,
    lastScheduledAt: d.now,
  });
  d.setSlot(slot, {
    phase: 'pending',
    patient: id,
    tenure,
    bigChunk: 0,
    credit: 0,
    produced: 0,
    since: d.now,
    pendingOrder: d.pendingSeq,
  });
  d.counters.tenures++;
}

/** Ends the tenure of `slot`, disposing of its queued chunks, and emits `stop`. */
export function endTenure(d: Draft, slot: number, reason: 'swap' | 'failure' | 'close'): void {
  const s = d.slot(slot);
  const id = s.patient as string;
  const disposition = reason === 'close' ? 'discard' : d.config.onSwap;
  let { queue, queued } = s;
  let discarded = 0;
  if (disposition === 'discard') {
    queue = queue.filter((r) => r.tenure !== s.tenure);
    discarded = queued - queue.reduce((n, r) => n + r.count, 0);
    queued -= discarded;
    d.counters.dropped[reason] += discarded;
  }
  const p = d.patient(id);
  d.setPatient(id, {
    slot: undefined,
    produced: p.produced + s.produced,
    dropped: p.dropped + discarded,
  });
  d.setSlot(slot, {
    phase: queued > 0 ? 'draining' : 'empty',
    patient: undefined,
    credit: 0,
    queue,
    queued,
    produced: 0,
  });
  d.emit({ type: 'stop', slot, tenure: s.tenure, patient: id, reason, disposition, discarded });
}

/** Admits patients into vacant slots, in slot order, while any is admissible. */
export function fillVacant(d: Draft): void {
  if (!d.started || d.closed || d.exhausted) return;
  for (const s of d.slots) {
    if (hasTenant(s.phase)) continue;
    const waiting = admissible(d);
    if (waiting.length === 0) return;
    const choice = decide({ draft: d, mode: 'fill', active: tenants(d), evictable: [], waiting });
    startTenure(d, s.index, (choice as { admit: string }).admit);
  }
}

/**
 * Swaps once if the reschedule interval elapsed. With nobody waiting, or a declined proposal, the
 * interval passes without a swap; with nobody evictable yet, the swap stays due and happens at
 * the first step where someone is.
 */
export function maybeSwap(d: Draft): void {
  if (!d.started || d.closed || d.exhausted || d.now < d.nextSwapAt) return;
  // A stalled consumer (nothing asked, the merged queue full, no pull since the swap fell due)
  // holds the swap until it pulls again: swapping would only load chunks nobody takes.
  const stalled =
    d.demand === 0 &&
    d.mergedCount >= d.config.maxLengthQueueLightDL &&
    d.lastPullAt < d.nextSwapAt;
  if (stalled) return;
  const candidates = d.slots.filter(evictable).map((s) => d.patient(s.patient as string));
  if (candidates.length === 0 && d.slots.some((s) => hasTenant(s.phase))) return;
  const interval = d.config.rescheduleIntervalMs;
  d.nextSwapAt += (Math.floor((d.now - d.nextSwapAt) / interval) + 1) * interval;
  const waiting = admissible(d);
  const choice =
    candidates.length > 0 && waiting.length > 0
      ? decide({ draft: d, mode: 'swap', active: tenants(d), evictable: candidates, waiting })
      : null;
  if (choice === null) {
    d.counters.swapsSkipped++;
    return;
  }
  const slot = d.patient(choice.evict as string).slot as number;
  endTenure(d, slot, 'swap');
  startTenure(d, slot, choice.admit);
  d.counters.swaps++;
}

/** Issues the loads of `pending` slots, oldest first, while pool capacity allows. */
export function issueLoads(d: Draft): void {
  let inFlight = 0;
  const pending: SlotState[] = [];
  for (const s of d.slots) {
    if (s.phase === 'loading') inFlight++;
    else if (s.phase === 'pending') pending.push(s);
  }
  pending.sort((a, b) => a.pendingOrder - b.pendingOrder);
  for (const s of pending) {
    if (inFlight >= d.config.maxInFlight) return;
    inFlight++;
    const p = d.patient(s.patient as string);
    d.setSlot(s.index, { phase: 'loading' });
    d.emit({
      type: 'load',
      slot: s.index,
      tenure: s.tenure,
      patient: p.id,
      attempt: p.consecutiveFailures + 1,
      bigChunk: s.bigChunk,
      checkpoint: p.checkpoint,
      messages: p.messages,
      lastMessage: p.lastMessage,
    });
    if (p.messages.length > 0) {
      d.counters.messagesDelivered += p.messages.length;
      d.setPatient(p.id, { messages: [] });
    }
    d.counters.loadsStarted++;
  }
}
