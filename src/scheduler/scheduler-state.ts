import type { ResolvedSchedulerConfig } from './resolved-scheduler-config.js';

/**
 * The whole state of the scheduling state machine: plain immutable data (apart from the opaque
 * checkpoints and message payloads you put in, and a custom policy function in `config`).
 *
 * @remarks
 * Made by {@link initialState}, advanced by {@link step} (which never mutates it: unchanged parts
 * are shared with the previous state). The random generator's state is part of it, so a state
 * together with the events that follow determines every later decision.
 *
 * @example
 * ```ts
 * const state = initialState({ patients: [{ id: 'a' }, { id: 'b' }], numBigChunkLoaders: 1 });
 * state.slots.length; // 1
 * ```
 */
export interface SchedulerState {
  /** The validated configuration. */
  readonly config: ResolvedSchedulerConfig;
  /** Time of the last event (ms); `-Infinity` before the first. */
  readonly now: number;
  /** Whether `start` was received. */
  readonly started: boolean;
  /** Whether the scheduler is closed (by `close` or a fatal failure). */
  readonly closed: boolean;
  /** Whether every patient is set aside. */
  readonly exhausted: boolean;
  /** Whether no slot holds a patient while some patient is backing off (an `idle` was emitted). */
  readonly idle: boolean;
  /** The slots, by index. */
  readonly slots: readonly SlotState[];
  /** Per-patient state, in dataset order. */
  readonly patients: readonly PatientState[];
  /** The merged queue (what the consumer pulls from), oldest run first. */
  readonly merged: readonly ChunkRun[];
  /** Number of small chunks in the merged queue. */
  readonly mergedCount: number;
  /** Small chunks the consumer asked for and has not received yet. */
  readonly demand: number;
  /** Slot the next round-robin merge starts from. */
  readonly mergeCursor: number;
  /** Id the next tenure will get (ids start at 1). */
  readonly nextTenure: number;
  /** Time of the next swap (ms); `Infinity` if none is planned. */
  readonly nextSwapAt: number;
  /**
   * Time of the consumer's last `pull` asking for at least one small chunk (`-Infinity` before
   * the first). See {@link step} on swaps held for a stalled consumer.
   */
  readonly lastPullAt: number;
  /** Admissions so far; orders admissions for round-robin and tie-breaking. */
  readonly scheduleSeq: number;
  /** Number of loads queued for pool capacity so far; orders the `pending` slots. */
  readonly pendingSeq: number;
  /** Everything counted so far. */
  readonly counters: SchedulerCounters;
  /** The random generator's state. */
  readonly rng: readonly number[];
}

/**
 * What a slot is doing.
 *
 * - `'empty'`: no patient, nothing buffered.
 * - `'draining'`: no patient; small chunks of an ended tenure are still buffered, waiting to be merged.
 * - `'pending'`: a patient was admitted (or needs its next big chunk); its load waits for pool capacity.
 * - `'loading'`: the load is in flight.
 * - `'collecting'`: the big chunk is loaded; the collector produces small chunks within credit.
 *
 * @example
 * ```ts
 * const busy = (phase: SlotPhase) => phase === 'loading' || phase === 'collecting';
 * ```
 */
export type SlotPhase = 'empty' | 'draining' | 'pending' | 'loading' | 'collecting';

/**
 * One slot: at most one patient (its tenant) at a time, for one tenure after another.
 *
 * @example
 * ```ts
 * const room = (s: SlotState, bound: number) => bound - s.queued - s.credit;
 * ```
 */
export interface SlotState {
  /** Slot index. */
  readonly index: number;
  /** What the slot is doing. */
  readonly phase: SlotPhase;
  /** The tenant's id (`pending`, `loading`, `collecting`), else `undefined`. */
  readonly patient: string | undefined;
  /** The current tenure's id, or the last one's when vacant; 0 if the slot never had one. */
  readonly tenure: number;
  /** 0-based index of the tenure's current big chunk. */
  readonly bigChunk: number;
  /** Credit granted to the collector and not used yet. */
  readonly credit: number;
  /** Buffered small chunks, oldest run first (an ended tenure's leftovers come before the current one's). */
  readonly queue: readonly ChunkRun[];
  /** Number of buffered small chunks; `queued + credit ≤ maxLengthQueueSmallChunk`. */
  readonly queued: number;
  /** Small chunks the current tenure produced so far. */
  readonly produced: number;
  /** When the current tenure started (ms). */
  readonly since: number;
  /** Position in the queue for pool capacity (`pending` only). */
  readonly pendingOrder: number;
}

/**
 * Consecutive small chunks of one patient and tenure, in a queue.
 *
 * @example
 * ```ts
 * const total = (runs: readonly ChunkRun[]) => runs.reduce((n, r) => n + r.count, 0);
 * ```
 */
export interface ChunkRun {
  /** Patient id. */
  readonly patient: string;
  /** Tenure that produced them. */
  readonly tenure: number;
  /** How many (≥ 1). */
  readonly count: number;
}

/**
 * A slot and one of its tenures: what slot events and merge moves refer to.
 *
 * @example
 * ```ts
 * const key = (t: TenureRef) => `${t.slot}:${t.tenure}`;
 * ```
 */
export interface TenureRef {
  /** Slot index. */
  readonly slot: number;
  /** Tenure id. */
  readonly tenure: number;
}

/**
 * Per-patient state.
 *
 * @example
 * ```ts
 * const loadable = (p: PatientState) => !p.setAside;
 * ```
 */
export interface PatientState {
  /** Patient id. */
  readonly id: string;
  /** Slot the patient holds, or `undefined`. */
  readonly slot: number | undefined;
  /** Tenures given so far. */
  readonly timesScheduled: number;
  /** `scheduleSeq` of its last admission; 0 if never admitted. */
  readonly lastScheduledSeq: number;
  /** Time of its last admission (ms), or `undefined`. */
  readonly lastScheduledAt: number | undefined;
  /** Small chunks produced by its ended tenures (add the running tenure's `produced`). */
  readonly produced: number;
  /** Small chunks delivered to the consumer. */
  readonly delivered: number;
  /** Small chunks dropped (discarded on swap or failure, or at close). */
  readonly dropped: number;
  /** Failures since its last success. */
  readonly consecutiveFailures: number;
  /** Failures in total. */
  readonly failures: number;
  /** Earliest time it may be admitted again (ms); `-Infinity` when not backing off. */
  readonly retryAt: number;
  /** Whether it was set aside for good. */
  readonly setAside: boolean;
  /** Its checkpoint (opaque; `undefined` until a collector sets one). */
  readonly checkpoint: unknown;
  /** Messages waiting for its next load, oldest first. */
  readonly messages: readonly unknown[];
  /** The last message sent to it, or `undefined`. */
  readonly lastMessage: unknown;
}

/**
 * Everything counted since the start, as plain numbers.
 *
 * @remarks
 * Conservation holds at every step: `produced = delivered + mergedCount + Σ slot.queued +
 * dropped.swap + dropped.failure + dropped.close`. Chunks reported for a tenure that had ended
 * were never accepted: they are counted in `lateChunks`, not in `produced`.
 *
 * @example
 * ```ts
 * const lost = (c: SchedulerCounters) => c.dropped.swap + c.dropped.failure + c.dropped.close;
 * ```
 */
export interface SchedulerCounters {
  /** Small chunks accepted from collectors. */
  readonly produced: number;
  /** Small chunks moved into the merged queue. */
  readonly merged: number;
  /** Of those, chunks of tenures that had ended (`onSwap: 'drain'`). */
  readonly drained: number;
  /** Small chunks handed to the consumer. */
  readonly delivered: number;
  /** Small chunks dropped, by reason. */
  readonly dropped: {
    /** Discarded when their tenure was swapped out (`onSwap: 'discard'`). */
    readonly swap: number;
    /** Discarded when their tenure failed (`onSwap: 'discard'`). */
    readonly failure: number;
    /** Still buffered at close. */
    readonly close: number;
  };
  /** Small chunks reported for a tenure that had ended (the shell drops them). */
  readonly lateChunks: number;
  /** Stale events ignored. */
  readonly ignoredEvents: number;
  /** Load commands issued. */
  readonly loadsStarted: number;
  /** Loads that succeeded. */
  readonly loadsSucceeded: number;
  /** Loads that failed (including worker exits while loading). */
  readonly loadsFailed: number;
  /** Collectors that failed (including worker exits while collecting). */
  readonly collectorsFailed: number;
  /** Credit granted in total. */
  readonly granted: number;
  /** Tenures started. */
  readonly tenures: number;
  /** Swaps performed. */
  readonly swaps: number;
  /** Reschedule intervals that ended without a swap (nothing to swap, or declined by the policy). */
  readonly swapsSkipped: number;
  /** Messages delivered to a running tenure or handed over with a load. */
  readonly messagesDelivered: number;
  /** Messages dropped because a patient's message queue was full. */
  readonly messagesDropped: number;
  /** Patients set aside. */
  readonly setAside: number;
}
