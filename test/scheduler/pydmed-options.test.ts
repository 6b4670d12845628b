import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/scheduler/initial-state.js';
import { fromPyDmedConfig } from '../../src/scheduler/pydmed-options.js';

/** PyDmed's `get_default_constglobinf()`, as JSON would carry it. */
const pydmedDefaults = {
  num_bigchunkloaders: 10,
  maxlength_queue_smallchunk: 100,
  maxlength_queue_lightdl: 10000,
  interval_resched: 10,
  'core-assignment': { lightdl: null, smallchunkloaders: null, bigchunkloaders: null },
};

describe('fromPyDmedConfig', () => {
  it("maps PyDmed's default dictionary, converting seconds to milliseconds", () => {
    expect(fromPyDmedConfig(pydmedDefaults)).toEqual({
      options: {
        policy: 'pydmed',
        onSwap: 'drain',
        numBigChunkLoaders: 10,
        maxLengthQueueSmallChunk: 100,
        maxLengthQueueLightDL: 10000,
        rescheduleIntervalMs: 10_000,
      },
      warnings: [],
      passThrough: {},
    });
  });

  it('gives options the scheduler accepts as they are', () => {
    const { options } = fromPyDmedConfig({ ...pydmedDefaults, interval_resched: 2.5 });
    const { coreAssignment: _, ...schedulerOptions } = options;
    const { config } = initialState({ patients: [{ id: 'a' }], ...schedulerOptions });
    expect(config).toMatchObject({
      numBigChunkLoaders: 10,
      rescheduleIntervalMs: 2500,
      policy: 'pydmed',
    });
  });

  it('parses taskset CPU lists into core assignments, leaving None entries out', () => {
    const { options } = fromPyDmedConfig({
      'core-assignment': { lightdl: '4', smallchunkloaders: '0', bigchunkloaders: '1,2-3' },
    });
    expect(options.coreAssignment).toEqual({ main: [4], collectors: [0], loaders: [1, 2, 3] });
    expect(
      fromPyDmedConfig({ 'core-assignment': { lightdl: null, bigchunkloaders: [3, 1, 3] } }).options
        .coreAssignment,
    ).toEqual({ loaders: [1, 3] });
    expect(fromPyDmedConfig({ 'core-assignment': null }).options.coreAssignment).toBeUndefined();
  });

  it('only sets the keys present (others keep lightdl defaults)', () => {
    expect(fromPyDmedConfig({ num_bigchunkloaders: 5 }).options).toEqual({
      policy: 'pydmed',
      onSwap: 'drain',
      numBigChunkLoaders: 5,
    });
  });

  it('rejects an unknown key, naming it and the nearest known key', () => {
    expect(() => fromPyDmedConfig({ num_bigchunkloader: 5 })).toThrow(
      new TypeError(
        'Unknown PyDmed `const_global_info` key `num_bigchunkloader`; did you mean `num_bigchunkloaders`? ' +
          'Keys your own loader or collector reads belong in `passThrough`.',
      ),
    );
    expect(() => fromPyDmedConfig({ core_assignment: {} })).toThrow(
      /did you mean `core-assignment`\?/,
    );
    expect(() => fromPyDmedConfig({ 'core-assignment': { smallchunkloader: '0' } })).toThrow(
      new TypeError(
        'Unknown PyDmed `core-assignment` key `smallchunkloader`; did you mean `smallchunkloaders`?',
      ),
    );
  });

  it('passes through the keys your own loader or collector reads', () => {
    const result = fromPyDmedConfig(
      { num_bigchunkloaders: 2, width_bigchunk: 2048, heigth_bigchunk: 2048 },
      { passThrough: ['width_bigchunk', 'heigth_bigchunk', 'absent'] },
    );
    expect(result.passThrough).toEqual({ width_bigchunk: 2048, heigth_bigchunk: 2048 });
    expect(result.options).toEqual({ policy: 'pydmed', onSwap: 'drain', numBigChunkLoaders: 2 });
  });

  it('warns about PyDmed-internal keys that have no equivalent, and ignores them', () => {
    const { options, warnings } = fromPyDmedConfig({
      interval_resched: 1,
      pdmreserved_tfms_onsmallchunkcollection: 'transforms',
    });
    expect(options).toEqual({ policy: 'pydmed', onSwap: 'drain', rescheduleIntervalMs: 1000 });
    expect(warnings).toEqual([
      'PyDmed-internal key `pdmreserved_tfms_onsmallchunkcollection` has no lightdl equivalent and was ignored; ' +
        'apply per-chunk transforms in the collector or the collate hook instead.',
    ]);
  });

  it.each<[string, Record<string, unknown>, ErrorConstructor, string]>([
    [
      'zero loaders',
      { num_bigchunkloaders: 0 },
      RangeError,
      'Expected `num_bigchunkloaders` to be an integer ≥ 1, got `0` (number)',
    ],
    [
      'a string queue length',
      { maxlength_queue_smallchunk: '40' },
      TypeError,
      'Expected `maxlength_queue_smallchunk` to be an integer ≥ 1, got `"40"` (string)',
    ],
    [
      'a fractional merged-queue length',
      { maxlength_queue_lightdl: 2.5 },
      RangeError,
      'Expected `maxlength_queue_lightdl` to be an integer ≥ 1, got `2.5` (number)',
    ],
    [
      'a zero interval',
      { interval_resched: 0 },
      RangeError,
      'Expected `interval_resched` to be a number of seconds > 0, or Infinity, got `0` (number)',
    ],
    [
      'a bad CPU list',
      { 'core-assignment': { lightdl: '1;2' } },
      TypeError,
      'Expected `core-assignment.lightdl` to be a CPU list such as "0-3,6", a CPU index, an array of CPU indexes, or null, got `"1;2"` (string)',
    ],
    [
      'a reversed CPU range',
      { 'core-assignment': { lightdl: '3-1' } },
      RangeError,
      'Expected `core-assignment.lightdl` to be a CPU list such as "0-3,6", a CPU index, an array of CPU indexes, or null, got `"3-1"` (string)',
    ],
    [
      'a core assignment that is not a dictionary',
      { 'core-assignment': '0' },
      TypeError,
      'Expected `core-assignment` to be an object with `lightdl`, `smallchunkloaders`, `bigchunkloaders`, got `"0"` (string)',
    ],
  ])('rejects %s with the PyDmed key in the message', (_, input, kind, message) => {
    expect(() => fromPyDmedConfig(input)).toThrow(new kind(message));
  });

  it('rejects something that is not a plain dictionary, and leaves its input untouched', () => {
    expect(() => fromPyDmedConfig(new Map() as never)).toThrow(
      new TypeError('Expected `constGlobalInfo` to be a plain object, got `{}` (object)'),
    );
    const input = structuredClone(pydmedDefaults);
    fromPyDmedConfig(input);
    expect(input).toEqual(pydmedDefaults);
  });
});
