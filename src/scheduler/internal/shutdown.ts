/**
 * Closing: every tenure stops, every buffered chunk is dropped and counted.
 *
 * @internal
 */
import type { Draft } from './draft.js';
import { endTenure, hasTenant } from './tenures.js';

/** Stops every tenure, drops every buffered chunk and emits `closed`. */
export function closeAll(d: Draft, reason: 'close' | 'fatal'): void {
  let dropped = 0;
  for (const s of d.slots) {
    if (hasTenant(s.phase)) {
      const before = d.counters.dropped.close;
      endTenure(d, s.index, 'close');
      dropped += d.counters.dropped.close - before;
    }
  }
  const perPatient = new Map<string, number>();
  for (const s of d.slots) {
    for (const r of s.queue) perPatient.set(r.patient, (perPatient.get(r.patient) ?? 0) + r.count);
    if (s.queued > 0 || s.phase !== 'empty') {
      d.setSlot(s.index, { phase: 'empty', queue: [], queued: 0, credit: 0 });
    }
  }
  for (const r of d.merged) perPatient.set(r.patient, (perPatient.get(r.patient) ?? 0) + r.count);
  for (const [id, n] of perPatient) {
    d.setPatient(id, { dropped: d.patient(id).dropped + n });
    dropped += n;
    d.counters.dropped.close += n;
  }
  d.merged = [];
  d.mergedCount = 0;
  d.demand = 0;
  d.closed = true;
  d.idle = false;
  d.nextSwapAt = Infinity;
  d.emit({ type: 'closed', reason, dropped });
}
