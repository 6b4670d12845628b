import type { SchedulerCounters, SchedulerState, SlotPhase } from './scheduler-state.js';

/**
 * An immutable snapshot of the scheduler, for dashboards, logs and tests.
 *
 * @example
 * ```ts
 * const s: SchedulerStats = schedulerStats(initialState({ patients: [{ id: 'a' }] }));
 * s.mergedQueue; // 0
 * ```
 */
export interface SchedulerStats {
  /** Time of the last event (ms). */
  readonly now: number;
  /** Whether `start` was received. */
  readonly started: boolean;
  /** Whether the scheduler is closed. */
  readonly closed: boolean;
  /** Whether every patient is set aside. */
  readonly exhausted: boolean;
  /** Patients holding a slot. */
  readonly active: number;
  /** Loads in flight (see {@link inFlightLoads}). */
  readonly inFlight: number;
  /** Small chunks in the merged queue. */
  readonly mergedQueue: number;
  /** Small chunks the consumer asked for and has not received. */
  readonly demand: number;
  /** Small chunks buffered in slots that belong to ended tenures, waiting to be merged. */
  readonly drainPending: number;
  /** Time of the next swap (ms), `Infinity` if none. */
  readonly nextSwapAt: number;
  /** Per slot. */
  readonly slots: readonly {
    /** Slot index. */
    readonly index: number;
    /** Phase. */
    readonly phase: SlotPhase;
    /** Tenant, if any. */
    readonly patient: string | undefined;
    /** Current (or last) tenure. */
    readonly tenure: number;
    /** Buffered small chunks. */
    readonly queued: number;
    /** Outstanding credit. */
    readonly credit: number;
  }[];
  /** Per patient, in dataset order. */
  readonly patients: readonly {
    /** Patient id. */
    readonly id: string;
    /** Slot held, if any. */
    readonly slot: number | undefined;
    /** Tenures given. */
    readonly timesScheduled: number;
    /** Small chunks produced, including the running tenure's. */
    readonly produced: number;
    /** Small chunks delivered. */
    readonly delivered: number;
    /** Small chunks dropped. */
    readonly dropped: number;
    /** Failures in total. */
    readonly failures: number;
    /** Whether set aside. */
    readonly setAside: boolean;
  }[];
  /** Every counter. */
  readonly counters: SchedulerCounters;
}

/**
 * Takes an immutable snapshot of `state`.
 *
 * @param state - A scheduler state.
 * @returns The snapshot (frozen).
 * @example
 * ```ts
 * const stats = schedulerStats(initialState({ patients: [{ id: 'a' }] }));
 * console.log(stats.counters.delivered, stats.slots.map((s) => s.queued));
 * ```
 */
export function schedulerStats(state: SchedulerState): SchedulerStats {
  let active = 0;
  let inFlight = 0;
  let drainPending = 0;
  const running = new Map<string, number>();
  const slots = state.slots.map((s) => {
    if (s.patient !== undefined) {
      active++;
      running.set(s.patient, s.produced);
    }
    if (s.phase === 'loading') inFlight++;
    for (const r of s.queue)
      if (s.patient === undefined || r.tenure !== s.tenure) drainPending += r.count;
    return Object.freeze({
      index: s.index,
      phase: s.phase,
      patient: s.patient,
      tenure: s.tenure,
      queued: s.queued,
      credit: s.credit,
    });
  });
  const patients = state.patients.map((p) =>
    Object.freeze({
      id: p.id,
      slot: p.slot,
      timesScheduled: p.timesScheduled,
      produced: p.produced + (running.get(p.id) ?? 0),
      delivered: p.delivered,
      dropped: p.dropped,
      failures: p.failures,
      setAside: p.setAside,
    }),
  );
  return Object.freeze({
    now: state.now,
    started: state.started,
    closed: state.closed,
    exhausted: state.exhausted,
    active,
    inFlight,
    mergedQueue: state.mergedCount,
    demand: state.demand,
    drainPending,
    nextSwapAt: state.nextSwapAt,
    slots: Object.freeze(slots),
    patients: Object.freeze(patients),
    counters: Object.freeze({
      ...state.counters,
      dropped: Object.freeze({ ...state.counters.dropped }),
    }),
  });
}
