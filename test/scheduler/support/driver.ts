/**
 * Random event sequences for the scheduler: a configuration arbitrary, abstract actions, and an
 * interpreter that turns each action into a concrete event fitting what the model shell knows
 * (outstanding loads, running collectors and their credit), plus deliberately stale events.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { initialState } from '../../../src/scheduler/initial-state.js';
import type { SchedulerConfig } from '../../../src/scheduler/scheduler-config.js';
import type { SchedulerEvent } from '../../../src/scheduler/scheduler-event.js';
import type {
  CustomSchedulerPolicy,
  SchedulerPolicy,
} from '../../../src/scheduler/scheduler-policy.js';
import type { SchedulerState } from '../../../src/scheduler/scheduler-state.js';
import { step } from '../../../src/scheduler/step.js';
import { ModelShell } from './model-shell.js';

/** A valid custom policy drawing only from `view.random()`. */
export const randomCustomPolicy: CustomSchedulerPolicy = (view) => {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(view.random() * xs.length)]!;
  const admit = pick(view.waiting).id;
  if (view.mode === 'fill') return { admit };
  if (view.random() < 0.2) return null;
  return { evict: pick(view.active).id, admit };
};

export const configArb: fc.Arbitrary<SchedulerConfig> = fc
  .record({
    patients: fc.integer({ min: 1, max: 8 }),
    weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 8, maxLength: 8 }),
    labels: fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 8, maxLength: 8 }),
    numBigChunkLoaders: fc.integer({ min: 1, max: 5 }),
    maxLengthQueueSmallChunk: fc.integer({ min: 1, max: 8 }),
    maxLengthQueueLightDL: fc.integer({ min: 1, max: 10 }),
    maxInFlight: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(Infinity)),
    rescheduleIntervalMs: fc.oneof(fc.integer({ min: 10, max: 1000 }), fc.constant(Infinity)),
    policy: fc.constantFrom<SchedulerPolicy>(
      'pydmed',
      'weighted',
      'label-balanced',
      'round-robin',
      randomCustomPolicy,
    ),
    onSwap: fc.constantFrom<'drain' | 'discard'>('drain', 'discard'),
    maxConsecutiveFailures: fc.integer({ min: 1, max: 4 }),
    backoffMs: fc.integer({ min: 0, max: 500 }),
    onExhausted: fc.constantFrom<'set-aside' | 'fail'>('set-aside', 'set-aside', 'fail'),
    maxPendingMessages: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .map((r) => ({
    patients: Array.from({ length: r.patients }, (_, i) => ({
      id: `p${i}`,
      weight: r.weights[i]!,
      label: r.labels[i]!,
    })),
    numBigChunkLoaders: r.numBigChunkLoaders,
    maxLengthQueueSmallChunk: r.maxLengthQueueSmallChunk,
    maxLengthQueueLightDL: r.maxLengthQueueLightDL,
    maxInFlight: r.maxInFlight,
    rescheduleIntervalMs: r.rescheduleIntervalMs,
    policy: r.policy,
    onSwap: r.onSwap,
    failure: {
      maxConsecutiveFailures: r.maxConsecutiveFailures,
      backoffMs: r.backoffMs,
      maxBackoffMs: 500,
      onExhausted: r.onExhausted,
    },
    maxPendingMessages: r.maxPendingMessages,
    seed: r.seed,
  }));

export type Action =
  | { readonly t: 'outcome'; readonly pick: number; readonly result: 'ok' | 'fail' | 'exit' }
  | { readonly t: 'produce'; readonly pick: number; readonly count: number }
  | { readonly t: 'finish'; readonly pick: number }
  | { readonly t: 'collectorFail'; readonly pick: number; readonly exit: boolean }
  | { readonly t: 'pull'; readonly count: number }
  | { readonly t: 'tick'; readonly dt: number }
  | { readonly t: 'message'; readonly patient: number; readonly payload: number }
  | { readonly t: 'checkpoint'; readonly pick: number; readonly value: number }
  | { readonly t: 'stale'; readonly slot: number; readonly kind: number; readonly back: number }
  | { readonly t: 'close' };

const pick = fc.nat({ max: 1000 });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('outcome' as const),
      pick,
      result: fc.oneof(
        { weight: 10, arbitrary: fc.constant('ok' as const) },
        { weight: 1, arbitrary: fc.constantFrom('fail' as const, 'exit' as const) },
      ),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constant('produce' as const),
      pick,
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('finish' as const), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('collectorFail' as const), pick, exit: fc.boolean() }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('pull' as const),
      count: fc.integer({ min: 0, max: 8 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 600 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('message' as const),
      patient: fc.nat({ max: 7 }),
      payload: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('checkpoint' as const), pick, value: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('stale' as const),
      slot: fc.nat({ max: 4 }),
      kind: fc.nat({ max: 7 }),
      back: fc.integer({ min: 0, max: 3 }),
    }),
  },
);

/** A run in progress: the state, the model shell, and virtual time. */
export class Run {
  state: SchedulerState;
  readonly shell: ModelShell;
  now = 0;
  readonly events: SchedulerEvent[] = [];

  constructor(
    config: SchedulerConfig,
    readonly afterStep: (run: Run) => void = () => {},
  ) {
    this.state = initialState(config);
    this.shell = new ModelShell(this.state.slots.length);
  }

  /** Deep-freeze every state before stepping it, so any mutation of the input throws. */
  freezeStates = false;
  /** Check that a stale event does exactly what a no-op `pull` would, plus the counting. */
  checkStale = false;

  /** Feeds one event and has the model shell execute the commands. */
  feed(event: SchedulerEvent): void {
    this.events.push(event);
    if (this.freezeStates) deepFreeze(this.state);
    const { state, commands } = step(this.state, event);
    this.state = state;
    this.shell.apply(commands);
    this.afterStep(this);
  }

  /** Turns an abstract action into an event (or none, if it does not apply now). */
  perform(action: Action): void {
    this.now += action.t === 'tick' ? action.dt : 1;
    const now = this.now;
    switch (action.t) {
      case 'outcome': {
        const loads = this.shell.outstandingLoads();
        const load = loads[action.pick % Math.max(1, loads.length)];
        if (load === undefined) return;
        const { slot, tenure } = load;
        this.shell.settleLoad(slot, tenure, action.result === 'ok');
        if (action.result === 'ok') this.feed({ type: 'loadSucceeded', now, slot, tenure });
        else if (action.result === 'fail') {
          this.feed({
            type: 'loadFailed',
            now,
            slot,
            tenure,
            error: { code: 'ERR_IMAGE_DECODE', message: 'bad tile' },
          });
        } else this.feed({ type: 'workerExited', now, slot, tenure });
        return;
      }
      case 'produce': {
        const [slot, c] = this.#collector(action.pick) ?? [];
        if (slot === undefined || c === undefined || c.credit === 0) return;
        const count = Math.min(action.count, c.credit);
        this.shell.produce(slot, c.tenure, count);
        this.feed({ type: 'chunkProduced', now, slot, tenure: c.tenure, count });
        return;
      }
      case 'finish':
      case 'collectorFail': {
        const [slot, c] = this.#collector(action.pick) ?? [];
        if (slot === undefined || c === undefined) return;
        this.shell.endCollector(slot, c.tenure);
        const tenure = c.tenure;
        if (action.t === 'finish') this.feed({ type: 'collectorFinished', now, slot, tenure });
        else if (action.exit) this.feed({ type: 'workerExited', now, slot, tenure });
        else {
          this.feed({
            type: 'collectorFailed',
            now,
            slot,
            tenure,
            error: { code: 'ERR_COLLECTOR_FAILED', message: 'threw' },
          });
        }
        return;
      }
      case 'pull':
        return this.feed({ type: 'pull', now, count: action.count });
      case 'tick':
        return this.feed({ type: 'tick', now });
      case 'message': {
        const patients = this.state.config.patients;
        const patient = patients[action.patient % patients.length]!.id;
        return this.feed({ type: 'message', now, patient, payload: action.payload });
      }
      case 'checkpoint': {
        const [slot, c] = this.#collector(action.pick) ?? [];
        if (slot === undefined || c === undefined) return;
        return this.feed({ type: 'checkpoint', now, slot, tenure: c.tenure, value: action.value });
      }
      case 'stale':
        return this.#stale(action, now);
      case 'close':
        return this.feed({ type: 'close', now });
    }
  }

  #collector(n: number): [number, { tenure: number; credit: number }] | undefined {
    const entries = [...this.shell.collectors.entries()];
    return entries[n % Math.max(1, entries.length)];
  }

  /**
   * An event of a tenure older than the slot's current one, or of the ended tenure of a vacant
   * slot: the scheduler must ignore it.
   */
  #stale(action: Extract<Action, { t: 'stale' }>, now: number): void {
    const slot = action.slot % this.state.slots.length;
    const current = this.state.slots[slot]!;
    const tenure = current.tenure - action.back;
    if (tenure < 0 || (action.back === 0 && current.patient !== undefined)) return;
    // Outcomes of loads still outstanding are real events, not stale ones: leave them alone.
    if (this.shell.loads.has(`${slot}:${tenure}`)) return;
    const error = { code: 'ERR_X', message: 'late' };
    const events: SchedulerEvent[] = [
      { type: 'loadSucceeded', now, slot, tenure },
      { type: 'loadFailed', now, slot, tenure, error },
      { type: 'workerExited', now, slot, tenure },
      { type: 'chunkProduced', now, slot, tenure, count: 2 },
      { type: 'collectorFinished', now, slot, tenure },
      { type: 'collectorFailed', now, slot, tenure, error },
      { type: 'checkpoint', now, slot, tenure, value: 'stale' },
      { type: 'chunkProduced', now, slot, tenure },
    ];
    const event = events[action.kind % events.length]!;
    const late = event.type === 'chunkProduced' && !this.state.closed ? (event.count ?? 1) : 0;
    this.shell.lateChunks += late;
    const noop = this.checkStale ? step(this.state, { type: 'pull', now, count: 0 }) : undefined;
    const start = this.shell.log.length;
    this.feed(event);
    if (noop === undefined || this.state.closed) return;
    const { counters, ...rest } = this.state;
    const { counters: noopCounters, ...noopRest } = noop.state;
    const expected = {
      ...noopCounters,
      ignoredEvents: noopCounters.ignoredEvents + 1,
      lateChunks: noopCounters.lateChunks + late,
    };
    const last = this.shell.log.slice(start);
    if (
      !isDeepStrictEqual(rest, noopRest) ||
      !isDeepStrictEqual(counters, expected) ||
      !isDeepStrictEqual(last, noop.commands)
    ) {
      throw new Error(`stale ${event.type} for slot ${slot} tenure ${tenure} was not ignored`);
    }
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
