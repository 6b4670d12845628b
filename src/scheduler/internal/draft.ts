/**
 * The working copy of one `step`: reads fall through to the previous state, writes copy the
 * touched slot, patient or array once, so `step` stays pure and cheap.
 *
 * @internal
 */
import { Rng } from '../../internal/rng.js';
import type { ResolvedSchedulerConfig } from '../resolved-scheduler-config.js';
import type { SchedulerCommand } from '../scheduler-command.js';
import type {
  ChunkRun,
  PatientState,
  SchedulerCounters,
  SchedulerState,
  SlotState,
} from '../scheduler-state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Counters as the draft updates them. */
export type DraftCounters = Mutable<Omit<SchedulerCounters, 'dropped'>> & {
  dropped: Mutable<SchedulerCounters['dropped']>;
};

const indexes = new WeakMap<ResolvedSchedulerConfig, ReadonlyMap<string, number>>();

/** The dataset index of patient `id`, or `undefined`. */
export function patientIndex(config: ResolvedSchedulerConfig, id: string): number | undefined {
  let index = indexes.get(config);
  if (index === undefined) {
    index = new Map(config.patients.map((p, i) => [p.id, i]));
    indexes.set(config, index);
  }
  return index.get(id);
}

export class Draft {
  readonly config: ResolvedSchedulerConfig;
  readonly commands: SchedulerCommand[] = [];
  readonly counters: DraftCounters;
  now: number;
  started: boolean;
  closed: boolean;
  exhausted: boolean;
  idle: boolean;
  demand: number;
  mergeCursor: number;
  nextTenure: number;
  nextSwapAt: number;
  lastPullAt: number;
  scheduleSeq: number;
  pendingSeq: number;
  merged: readonly ChunkRun[];
  mergedCount: number;
  readonly #base: SchedulerState;
  #slots: SlotState[] | undefined;
  #patients: PatientState[] | undefined;
  #rng: Rng | undefined;

  constructor(base: SchedulerState) {
    this.#base = base;
    this.config = base.config;
    this.now = base.now;
    this.started = base.started;
    this.closed = base.closed;
    this.exhausted = base.exhausted;
    this.idle = base.idle;
    this.demand = base.demand;
    this.mergeCursor = base.mergeCursor;
    this.nextTenure = base.nextTenure;
    this.nextSwapAt = base.nextSwapAt;
    this.lastPullAt = base.lastPullAt;
    this.scheduleSeq = base.scheduleSeq;
    this.pendingSeq = base.pendingSeq;
    this.merged = base.merged;
    this.mergedCount = base.mergedCount;
    this.counters = { ...base.counters, dropped: { ...base.counters.dropped } };
  }

  /** The slots as they are now. */
  get slots(): readonly SlotState[] {
    return this.#slots ?? this.#base.slots;
  }

  /** The patients as they are now. */
  get patients(): readonly PatientState[] {
    return this.#patients ?? this.#base.patients;
  }

  slot(index: number): SlotState {
    return this.slots[index] as SlotState;
  }

  setSlot(index: number, patch: Partial<Mutable<SlotState>>): SlotState {
    this.#slots ??= this.#base.slots.slice();
    const next = { ...(this.#slots[index] as SlotState), ...patch };
    this.#slots[index] = next;
    return next;
  }

  patient(id: string): PatientState {
    return this.patients[this.#indexOf(id)] as PatientState;
  }

  setPatient(id: string, patch: Partial<Mutable<PatientState>>): PatientState {
    const i = this.#indexOf(id);
    this.#patients ??= this.#base.patients.slice();
    const next = { ...(this.#patients[i] as PatientState), ...patch };
    this.#patients[i] = next;
    return next;
  }

  /** The seeded generator, restored from the state on first use. */
  rng(): Rng {
    this.#rng ??= Rng.fromState(this.#base.rng);
    return this.#rng;
  }

  emit(command: SchedulerCommand): void {
    this.commands.push(command);
  }

  /** The new state. */
  finish(): SchedulerState {
    return {
      config: this.config,
      now: this.now,
      started: this.started,
      closed: this.closed,
      exhausted: this.exhausted,
      idle: this.idle,
      slots: this.slots,
      patients: this.patients,
      merged: this.merged,
      mergedCount: this.mergedCount,
      demand: this.demand,
      mergeCursor: this.mergeCursor,
      nextTenure: this.nextTenure,
      nextSwapAt: this.nextSwapAt,
      lastPullAt: this.lastPullAt,
      scheduleSeq: this.scheduleSeq,
      pendingSeq: this.pendingSeq,
      counters: this.counters,
      rng: this.#rng === undefined ? this.#base.rng : this.#rng.state(),
    };
  }

  #indexOf(id: string): number {
    const i = patientIndex(this.config, id);
    if (i === undefined) throw new RangeError(`Unknown patient ${JSON.stringify(id)}`);
    return i;
  }
}
