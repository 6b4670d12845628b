/**
 * DESIGN.md §3 invariants of the scheduling state machine, checked against a state and the model
 * shell that executed every command so far. Each check throws an Error naming what broke.
 */
import { activePatients } from '../../../src/scheduler/active-patients.js';
import { inFlightLoads } from '../../../src/scheduler/in-flight-loads.js';
import type { SchedulerState } from '../../../src/scheduler/scheduler-state.js';
import { waitingPatients } from '../../../src/scheduler/waiting-patients.js';
import type { ModelShell } from './model-shell.js';

function fail(message: string): never {
  throw new Error(`invariant broken: ${message}`);
}

const TENANT = new Set(['pending', 'loading', 'collecting']);

/** (1) at most one slot per patient; slots and patients agree. */
export function checkOneSlotPerPatient(state: SchedulerState): void {
  const active = activePatients(state);
  if (new Set(active).size !== active.length)
    fail(`a patient holds two slots: ${active.join(',')}`);
  for (const s of state.slots) {
    if (TENANT.has(s.phase) !== (s.patient !== undefined))
      fail(`slot ${s.index} phase/tenant mismatch`);
  }
  for (const p of state.patients) {
    const s = p.slot === undefined ? undefined : state.slots[p.slot];
    if (p.slot !== undefined && s?.patient !== p.id)
      fail(`patient ${p.id} thinks it holds slot ${p.slot}`);
    if (p.slot === undefined && active.includes(p.id)) fail(`patient ${p.id} slot not recorded`);
  }
}

/** (2) no vacant slot while a patient could be admitted (failed slots are refilled at once). */
export function checkNoNeedlessVacancy(state: SchedulerState): void {
  if (!state.started || state.closed || state.exhausted) return;
  const vacant = state.slots.filter((s) => s.patient === undefined).length;
  if (vacant > 0 && waitingPatients(state).length > 0) {
    fail(`${vacant} vacant slot(s) while ${waitingPatients(state).join(',')} could be admitted`);
  }
}

/** (3) bounds: slot queue + credit, merged queue, loads in flight. */
export function checkBounds(state: SchedulerState): void {
  const { maxLengthQueueSmallChunk, maxLengthQueueLightDL, maxInFlight } = state.config;
  for (const s of state.slots) {
    const sum = s.queue.reduce((n, r) => n + r.count, 0);
    if (sum !== s.queued) fail(`slot ${s.index} queued ${s.queued} ≠ runs ${sum}`);
    if (s.queued + s.credit > maxLengthQueueSmallChunk) {
      fail(`slot ${s.index} queued ${s.queued} + credit ${s.credit} > ${maxLengthQueueSmallChunk}`);
    }
    if (s.credit < 0 || s.queued < 0) fail(`slot ${s.index} negative count`);
    if (s.credit > 0 && s.phase !== 'collecting') fail(`slot ${s.index} has credit in ${s.phase}`);
    if (s.phase === 'empty' && s.queued > 0) fail(`empty slot ${s.index} holds chunks`);
    if (s.phase === 'draining' && s.queued === 0) fail(`draining slot ${s.index} holds nothing`);
  }
  const merged = state.merged.reduce((n, r) => n + r.count, 0);
  if (merged !== state.mergedCount) fail(`merged ${state.mergedCount} ≠ runs ${merged}`);
  if (state.mergedCount > maxLengthQueueLightDL) fail(`merged queue over its bound`);
  if (inFlightLoads(state) > maxInFlight)
    fail(`${inFlightLoads(state)} loads in flight > ${maxInFlight}`);
}

/** (4) conservation, per counter and per patient, and agreement with the model shell's chunks. */
export function checkConservation(state: SchedulerState, shell: ModelShell): void {
  const c = state.counters;
  const queued = state.slots.reduce((n, s) => n + s.queued, 0);
  const dropped = c.dropped.swap + c.dropped.failure + c.dropped.close;
  if (c.produced !== c.delivered + state.mergedCount + queued + dropped) {
    fail(
      `produced ${c.produced} ≠ delivered ${c.delivered} + merged ${state.mergedCount} + queued ${queued} + dropped ${dropped}`,
    );
  }
  const perPatientQueued = new Map<string, number>();
  for (const r of [...state.merged, ...state.slots.flatMap((s) => s.queue)]) {
    perPatientQueued.set(r.patient, (perPatientQueued.get(r.patient) ?? 0) + r.count);
  }
  for (const p of state.patients) {
    const running = p.slot === undefined ? 0 : state.slots[p.slot]!.produced;
    const produced = p.produced + running;
    const accounted = p.delivered + p.dropped + (perPatientQueued.get(p.id) ?? 0);
    if (produced !== accounted) fail(`patient ${p.id}: produced ${produced} ≠ ${accounted}`);
  }
  // The model shell executed the commands on real chunks: its view must match, chunk by chunk.
  if (shell.producedCount() !== c.produced)
    fail(`shell produced ${shell.producedCount()} ≠ ${c.produced}`);
  if (shell.lateChunks !== c.lateChunks) fail(`late chunks ${shell.lateChunks} ≠ ${c.lateChunks}`);
  if (shell.delivered.length !== c.delivered) fail(`shell delivered ${shell.delivered.length}`);
  if (shell.dropped.length !== dropped) fail(`shell dropped ${shell.dropped.length} ≠ ${dropped}`);
  if (shell.merged.length !== state.mergedCount) fail(`shell merged queue ${shell.merged.length}`);
  state.slots.forEach((s, i) => {
    const buffer = shell.buffers[i]!;
    if (buffer.length !== s.queued) fail(`shell buffer ${i} holds ${buffer.length} ≠ ${s.queued}`);
    buffer.forEach((chunk, j) => {
      const run = runAt(s.queue, j);
      if (run.patient !== chunk.patient || run.tenure !== chunk.tenure) {
        fail(
          `slot ${i} chunk ${j} attributed to ${run.patient}/${run.tenure}, is ${chunk.patient}/${chunk.tenure}`,
        );
      }
    });
  });
}

/** (4) every chunk the shell saw is in exactly one place: delivered, dropped, or still queued. */
export function checkChunkIdentities(state: SchedulerState, shell: ModelShell): void {
  const seen = new Set<number>();
  for (const chunk of [
    ...shell.delivered,
    ...shell.dropped,
    ...shell.merged,
    ...shell.buffers.flat(),
  ]) {
    if (seen.has(chunk.id)) fail(`chunk ${chunk.id} accounted twice`);
    seen.add(chunk.id);
  }
  if (seen.size !== state.counters.produced)
    fail(`${state.counters.produced - seen.size} chunks lost`);
}

function runAt(runs: SchedulerState['merged'], index: number): SchedulerState['merged'][number] {
  let i = index;
  for (const r of runs) {
    if (i < r.count) return r;
    i -= r.count;
  }
  return fail(`no run at ${index}`);
}

/** (8) after close: nothing active, nothing in flight, no credit, nothing buffered. */
export function checkClosed(state: SchedulerState, shell: ModelShell): void {
  if (!state.closed) return;
  if (activePatients(state).length > 0) fail('closed with active patients');
  if (inFlightLoads(state) > 0) fail('closed with loads in flight');
  if (state.slots.some((s) => s.credit > 0 || s.queued > 0)) fail('closed with credit or chunks');
  if (state.mergedCount > 0 || state.demand > 0) fail('closed with merged chunks or demand');
  if (!shell.closed || shell.log.filter((c) => c.type === 'closed').length !== 1) {
    fail('closed without exactly one closed command');
  }
  if (shell.collectors.size > 0) fail('closed with a collector running');
}

/** (3) the loads really outstanding at the shell (stopped ones too) never exceed the pool. */
export function checkPoolCapacity(state: SchedulerState, shell: ModelShell): void {
  if (state.closed) return;
  const outstanding = shell.outstandingLoads().length;
  if (outstanding > state.config.maxInFlight) {
    fail(`${outstanding} loads outstanding at the shell > maxInFlight ${state.config.maxInFlight}`);
  }
  if (outstanding !== inFlightLoads(state))
    fail(`shell has ${outstanding} loads, state counts ${inFlightLoads(state)}`);
}

/** (7) no small chunk waits in a queue while the consumer waits for one. */
export function checkNoIdleDemand(state: SchedulerState): void {
  const queued = state.slots.reduce((n, s) => n + s.queued, 0);
  if (state.demand > 0 && (state.mergedCount > 0 || queued > 0)) {
    fail(`demand ${state.demand} unserved while ${state.mergedCount} merged and ${queued} queued`);
  }
}

/** Every invariant that must hold after every step. */
export function checkAll(state: SchedulerState, shell: ModelShell): void {
  checkOneSlotPerPatient(state);
  checkNoNeedlessVacancy(state);
  checkBounds(state);
  checkPoolCapacity(state, shell);
  checkNoIdleDemand(state);
  checkConservation(state, shell);
  checkClosed(state, shell);
}
