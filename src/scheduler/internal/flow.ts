/**
 * Moving small chunks: round-robin merge from slot queues into the merged queue, delivery to the
 * consumer's demand, credit top-ups, and the idle / exhausted status.
 *
 * @internal
 */
import type { MergeMove } from '../scheduler-command.js';
import type { ChunkRun } from '../scheduler-state.js';
import type { Draft } from './draft.js';
import { hasTenant } from './tenures.js';

/** Appends `count` chunks of (`patient`, `tenure`) to `runs`, extending the last run if it matches. */
export function appendRun(runs: ChunkRun[], patient: string, tenure: number, count: number): void {
  const last = runs.at(-1);
  if (last !== undefined && last.patient === patient && last.tenure === tenure) {
    runs[runs.length - 1] = { patient, tenure, count: last.count + count };
  } else {
    runs.push({ patient, tenure, count });
  }
}

/**
 * Fills the merged queue up to its bound, one chunk from each non-empty slot in turn, starting at
 * the merge cursor.
 */
export function merge(d: Draft): void {
  let room = d.config.maxLengthQueueLightDL - d.mergedCount;
  const k = d.slots.length;
  if (room <= 0 || !d.slots.some((s) => s.queued > 0)) return;
  const queues = d.slots.map((s) => ({ queue: s.queue.slice(), queued: s.queued, touched: false }));
  const merged = d.merged.slice();
  const moves: MergeMove[] = [];
  let moved = 0;
  let drained = 0;
  let i = d.mergeCursor % k;
  let cursor = i;
  for (let idle = 0; room > 0 && idle < k; i = (i + 1) % k) {
    const q = queues[i]!;
    const head = q.queue[0];
    if (head === undefined) {
      idle++;
      continue;
    }
    idle = 0;
    if (head.count === 1) q.queue.shift();
    else q.queue[0] = { ...head, count: head.count - 1 };
    q.queued--;
    q.touched = true;
    room--;
    moved++;
    const s = d.slot(i);
    if (!(hasTenant(s.phase) && head.tenure === s.tenure)) drained++;
    const last = moves.at(-1);
    if (last !== undefined && last.slot === i && last.tenure === head.tenure) {
      moves[moves.length - 1] = { ...last, count: last.count + 1 };
    } else {
      moves.push({ slot: i, tenure: head.tenure, count: 1 });
    }
    appendRun(merged, head.patient, head.tenure, 1);
    cursor = (i + 1) % k;
  }
  queues.forEach((q, index) => {
    if (!q.touched) return;
    const s = d.slot(index);
    const phase = s.phase === 'draining' && q.queued === 0 ? 'empty' : s.phase;
    d.setSlot(index, { queue: q.queue, queued: q.queued, phase });
  });
  d.merged = merged;
  d.mergedCount += moved;
  d.mergeCursor = cursor;
  d.counters.merged += moved;
  d.counters.drained += drained;
  d.emit({ type: 'merge', moves });
}

/** Hands the consumer as many merged chunks as it asked for and are there. */
export function deliver(d: Draft): void {
  let n = Math.min(d.demand, d.mergedCount);
  if (n === 0) return;
  const count = n;
  const merged = d.merged.slice();
  const perPatient = new Map<string, number>();
  while (n > 0) {
    const head = merged[0]!;
    const take = Math.min(n, head.count);
    perPatient.set(head.patient, (perPatient.get(head.patient) ?? 0) + take);
    if (take === head.count) merged.shift();
    else merged[0] = { ...head, count: head.count - take };
    n -= take;
  }
  for (const [id, k] of perPatient) d.setPatient(id, { delivered: d.patient(id).delivered + k });
  d.merged = merged;
  d.mergedCount -= count;
  d.demand -= count;
  d.counters.delivered += count;
  d.emit({ type: 'deliver', count });
}

/** Grants collecting slots their free room, once it reaches `grantBatch`. */
export function topUpCredit(d: Draft): void {
  const bound = d.config.maxLengthQueueSmallChunk;
  for (const s of d.slots) {
    if (s.phase !== 'collecting') continue;
    const room = bound - s.queued - s.credit;
    if (room < d.config.grantBatch) continue;
    d.setSlot(s.index, { credit: s.credit + room });
    d.counters.granted += room;
    d.emit({ type: 'grant', slot: s.index, tenure: s.tenure, credit: room });
  }
}

/** Emits `exhausted` once every patient is set aside, and `idle` when no slot holds a patient. */
export function updateStatus(d: Draft): void {
  if (!d.started || d.closed || d.exhausted) return;
  if (d.counters.setAside === d.patients.length) {
    d.exhausted = true;
    d.idle = false;
    d.nextSwapAt = Infinity;
    d.emit({ type: 'exhausted', patients: d.patients.map((p) => p.id) });
    return;
  }
  if (d.slots.some((s) => hasTenant(s.phase))) {
    d.idle = false;
    return;
  }
  if (d.idle) return;
  let until = Infinity;
  for (const p of d.patients) if (!p.setAside && p.retryAt < until) until = p.retryAt;
  d.idle = true;
  d.emit({ type: 'idle', until });
}
