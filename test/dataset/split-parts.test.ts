import { describe, expect, it } from 'vitest';
import { Dataset } from '../../src/dataset/index.js';

const ds = Dataset.fromPatients(
  'd',
  Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, metadata: { label: i % 2 } })),
);

describe('split options', () => {
  it.each([
    [
      { seed: 1 },
      TypeError,
      'Expected `fractions` to be an array of numbers summing to 1 (or give `percentages` summing to 100, not both), got `undefined` (undefined)',
    ],
    [
      { fractions: [0.5, 0.5], percentages: [50, 50], seed: 1 },
      TypeError,
      'Expected `fractions` to be an array of numbers summing to 1 (or give `percentages` summing to 100, not both), got `[0.5,0.5]` (array)',
    ],
    [
      { fractions: [0.5, 0.6], seed: 1 },
      RangeError,
      'Expected `fractions` to be an array of numbers ≥ 0 summing to 1, got `[0.5,0.6]` (array)',
    ],
    [
      { fractions: [], seed: 1 },
      TypeError,
      'Expected `fractions` to be an array of numbers ≥ 0 summing to 1, got `[]` (array)',
    ],
    [
      { fractions: [1.5, -0.5], seed: 1 },
      RangeError,
      'Expected `fractions[1]` to be a number ≥ 0, got `-0.5` (number)',
    ],
    [
      { fractions: ['1'], seed: 1 },
      TypeError,
      'Expected `fractions[0]` to be a number ≥ 0, got `"1"` (string)',
    ],
    [
      { percentages: [60, 30], seed: 1 },
      RangeError,
      'Expected `percentages` to be an array of numbers ≥ 0 summing to 100, got `[60,30]` (array)',
    ],
    [
      { fractions: [1], seed: Infinity },
      RangeError,
      'Expected `seed` to be a finite number, got `Infinity` (number)',
    ],
    [
      { fractions: [1], seed: '1' },
      TypeError,
      'Expected `seed` to be a finite number, got `"1"` (string)',
    ],
    [
      { fractions: [0.5, 0.5], seed: 1, names: ['a'] },
      TypeError,
      'Expected `names` to be an array of 2 distinct non-empty strings (one per part), got `["a"]` (array)',
    ],
    [
      { fractions: [0.5, 0.5], seed: 1, names: ['a', 'a'] },
      TypeError,
      'Expected `names` to be an array of 2 distinct non-empty strings (one per part), got `["a","a"]` (array)',
    ],
  ])('split rejects %j', (options, type, message) => {
    expect(() => ds.split(options as never)).toThrow(type);
    expect(() => ds.split(options as never)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => ds.split(undefined as never)).toThrow(
      'Expected `options` to be an object, got `undefined` (undefined)',
    );
    expect(() => ds.stratifiedSplit(null as never)).toThrow(TypeError);
    expect(() => ds.balanceByRepeat(3 as never)).toThrow(
      'Expected `options` to be an object, got `3` (number)',
    );
  });

  it('stratifiedSplit validates `by` before anything else', () => {
    const run = (): unknown => ds.stratifiedSplit({ fractions: [1], seed: 0 } as never);
    expect(run).toThrow(TypeError);
    expect(run).toThrow(
      'Expected `by` to be a metadata key or a function of the patient, got `undefined` (undefined)',
    );
  });

  it('tolerates floating-point noise in the sum', () => {
    expect(ds.split({ fractions: [0.1, 0.2, 0.7], seed: 1 }).map((p) => p.size)).toEqual([1, 1, 4]);
    expect(
      ds.split({ percentages: [33.3333333, 33.3333333, 33.3333334], seed: 1 }).map((p) => p.size),
    ).toEqual([2, 2, 2]);
  });
});
