import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/scheduler/initial-state.js';
import { SCHEDULER_DEFAULTS } from '../../src/scheduler/scheduler-defaults.js';

const patients = [{ id: 'a' }, { id: 'b', weight: 2, label: 'tumour' }];

describe('initialState', () => {
  it('applies every default and fills in patient weights', () => {
    const { config } = initialState({ patients });
    expect(config).toEqual({
      patients: [
        { id: 'a', weight: 1, label: undefined },
        { id: 'b', weight: 2, label: 'tumour' },
      ],
      numBigChunkLoaders: 4,
      maxLengthQueueSmallChunk: 64,
      maxLengthQueueLightDL: 512,
      maxInFlight: Infinity,
      rescheduleIntervalMs: 10_000,
      policy: 'pydmed',
      onSwap: 'drain',
      failure: {
        maxConsecutiveFailures: 3,
        backoffMs: 1000,
        backoffFactor: 2,
        maxBackoffMs: 30_000,
        onExhausted: 'set-aside',
      },
      maxPendingMessages: 16,
      seed: 0,
      grantBatch: 16,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(SCHEDULER_DEFAULTS.failure)).toBe(true);
  });

  it('starts with every slot empty, nothing scheduled and nothing counted', () => {
    const state = initialState({ patients, numBigChunkLoaders: 3 });
    expect(state.slots.map((s) => [s.index, s.phase, s.patient, s.tenure])).toEqual([
      [0, 'empty', undefined, 0],
      [1, 'empty', undefined, 0],
      [2, 'empty', undefined, 0],
    ]);
    expect(state.patients.map((p) => [p.id, p.timesScheduled, p.slot, p.setAside])).toEqual([
      ['a', 0, undefined, false],
      ['b', 0, undefined, false],
    ]);
    expect(Object.values(state.counters).filter((v) => typeof v === 'number' && v !== 0)).toEqual(
      [],
    );
    expect(state).toMatchObject({
      started: false,
      closed: false,
      nextTenure: 1,
      nextSwapAt: Infinity,
    });
  });

  it('derives the random state from the seed alone', () => {
    expect(initialState({ patients, seed: 7 }).rng).toEqual(
      initialState({ patients, seed: 7 }).rng,
    );
    expect(initialState({ patients, seed: 7 }).rng).not.toEqual(
      initialState({ patients, seed: 8 }).rng,
    );
  });

  it('keeps an explicit backoff larger than the default cap: maxBackoffMs follows it', () => {
    expect(
      initialState({ patients, failure: { backoffMs: 60_000 } }).config.failure.maxBackoffMs,
    ).toBe(60_000);
  });

  it("does not mutate or keep the caller's objects", () => {
    const input = { patients: [{ id: 'a' }], failure: { backoffMs: 5 } };
    const snapshot = structuredClone(input);
    const { config } = initialState(input);
    expect(input).toEqual(snapshot);
    expect(config.patients[0]).not.toBe(input.patients[0]);
  });

  it.each<[string, Record<string, unknown>, ErrorConstructor, string]>([
    [
      'no patients',
      { patients: [] },
      TypeError,
      'Expected `patients` to be a non-empty array, got `[]` (array)',
    ],
    [
      'patients not an array',
      { patients: 'a' },
      TypeError,
      'Expected `patients` to be a non-empty array, got `"a"` (string)',
    ],
    [
      'an empty id',
      { patients: [{ id: '' }] },
      TypeError,
      'Expected `patients[0].id` to be a non-empty string, got `""` (string)',
    ],
    [
      'a duplicate id',
      { patients: [{ id: 'a' }, { id: 'a' }] },
      TypeError,
      'Expected `patients[1].id` to be unique among the patients, got `"a"` (string)',
    ],
    [
      'a zero weight',
      { patients: [{ id: 'a', weight: 0 }] },
      RangeError,
      'Expected `patients[0].weight` to be a finite number > 0, got `0` (number)',
    ],
    [
      'a label that is not a string',
      { patients: [{ id: 'a', label: 3 }] },
      TypeError,
      'Expected `patients[0].label` to be a string, got `3` (number)',
    ],
    [
      'a missing label under label-balanced',
      { patients: [{ id: 'a', label: 'x' }, { id: 'b' }], policy: 'label-balanced' },
      TypeError,
      "Expected `patients[1].label` to be a string (policy 'label-balanced' needs labels), got `undefined` (undefined)",
    ],
    [
      'zero slots',
      { numBigChunkLoaders: 0 },
      RangeError,
      'Expected `numBigChunkLoaders` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'slots as a string',
      { numBigChunkLoaders: '4' },
      TypeError,
      'Expected `numBigChunkLoaders` to be an integer ≥ 1, got `"4"` (string)',
    ],
    [
      'a fractional queue bound',
      { maxLengthQueueSmallChunk: 1.5 },
      RangeError,
      'Expected `maxLengthQueueSmallChunk` to be an integer ≥ 1, got `1.5` (number)',
    ],
    [
      'a zero merged-queue bound',
      { maxLengthQueueLightDL: 0 },
      RangeError,
      'Expected `maxLengthQueueLightDL` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'zero loads in flight',
      { maxInFlight: 0 },
      RangeError,
      'Expected `maxInFlight` to be an integer ≥ 1 or Infinity, got `0` (number)',
    ],
    [
      'a zero interval',
      { rescheduleIntervalMs: 0 },
      RangeError,
      'Expected `rescheduleIntervalMs` to be a number > 0, or Infinity to never swap, got `0` (number)',
    ],
    [
      'a NaN interval',
      { rescheduleIntervalMs: NaN },
      RangeError,
      'Expected `rescheduleIntervalMs` to be a number > 0, or Infinity to never swap, got `NaN` (number)',
    ],
    [
      'an unknown policy',
      { policy: 'random' },
      TypeError,
      "Expected `policy` to be one of 'pydmed', 'weighted', 'label-balanced', 'round-robin' or a function, got `\"random\"` (string)",
    ],
    [
      'an unknown onSwap',
      { onSwap: 'keep' },
      TypeError,
      "Expected `onSwap` to be one of 'drain', 'discard', got `\"keep\"` (string)",
    ],
    [
      'zero pending messages',
      { maxPendingMessages: 0 },
      RangeError,
      'Expected `maxPendingMessages` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'an infinite seed',
      { seed: Infinity },
      RangeError,
      'Expected `seed` to be a finite number, got `Infinity` (number)',
    ],
    [
      'zero failures allowed',
      { failure: { maxConsecutiveFailures: 0 } },
      RangeError,
      'Expected `failure.maxConsecutiveFailures` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'a negative backoff',
      { failure: { backoffMs: -1 } },
      RangeError,
      'Expected `failure.backoffMs` to be a finite number ≥ 0, got `-1` (number)',
    ],
    [
      'a shrinking backoff',
      { failure: { backoffFactor: 0.5 } },
      RangeError,
      'Expected `failure.backoffFactor` to be a finite number ≥ 1, got `0.5` (number)',
    ],
    [
      'a cap below the backoff',
      { failure: { backoffMs: 100, maxBackoffMs: 50 } },
      RangeError,
      'Expected `failure.maxBackoffMs` to be a finite number ≥ 100, got `50` (number)',
    ],
    [
      'an unknown exhaustion rule',
      { failure: { onExhausted: 'retry' as never } },
      TypeError,
      "Expected `failure.onExhausted` to be one of 'set-aside', 'fail', got `\"retry\"` (string)",
    ],
    [
      'a failure policy that is not an object',
      { failure: 3 },
      TypeError,
      'Expected `failure` to be an object, got `3` (number)',
    ],
  ])('rejects %s', (_, options, kind, message) => {
    expect(() => initialState({ patients, ...options })).toThrow(new kind(message));
  });

  it('accepts Infinity for maxInFlight and rescheduleIntervalMs, and any custom policy function', () => {
    const policy = (): null => null;
    const { config } = initialState({
      patients,
      maxInFlight: Infinity,
      rescheduleIntervalMs: Infinity,
      policy,
    });
    expect(config.policy).toBe(policy);
    expect(config.rescheduleIntervalMs).toBe(Infinity);
  });
});
