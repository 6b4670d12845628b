import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/internal/rng.js';
import { controlledRounding, largestRemainder } from '../../src/dataset/apportion.js';
import { fractions, numRuns } from './arbitraries.js';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
/** `value` is the floor or the ceiling of `exact` (with float slack). */
const withinOne = (value: number, exact: number): boolean =>
  value >= Math.floor(exact + 1e-9) && value <= Math.ceil(exact - 1e-9);

describe('largestRemainder', () => {
  it('gives sizes that sum exactly and are each the floor or ceiling of the quota', () => {
    fc.assert(
      fc.property(fractions, fc.nat(500), (fs, n) => {
        const sizes = largestRemainder(fs, n);
        expect(sum(sizes)).toBe(n);
        sizes.forEach((s, i) => expect(withinOne(s, fs[i]! * n)).toBe(true));
      }),
      { numRuns },
    );
  });

  it('rounds up the largest remainders, ties to the lower index', () => {
    expect(largestRemainder([0.5, 0.3, 0.2], 7)).toEqual([4, 2, 1]); // 3.5, 2.1, 1.4
    expect(largestRemainder([1, 1, 1], 4)).toEqual([2, 1, 1]);
    expect(largestRemainder([70, 15, 15], 10)).toEqual([7, 2, 1]); // 7, 1.5, 1.5
  });

  it('is exact where floating point is not (0.1 + 0.2 style quotas)', () => {
    expect(largestRemainder([0.7, 0.2, 0.1], 10)).toEqual([7, 2, 1]);
    expect(largestRemainder([0.3, 0.3, 0.4], 10)).toEqual([3, 3, 4]);
  });
});

describe('controlledRounding', () => {
  it('keeps each class exact and every cell and part total within one of its quota', () => {
    fc.assert(
      fc.property(
        fractions,
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }),
        fc.integer(),
        (fs, classSizes, seed) => {
          const counts = controlledRounding(fs, classSizes, Rng.seeded(seed));
          const total = sum(classSizes);
          counts.forEach((row, c) => {
            expect(sum(row)).toBe(classSizes[c]);
            row.forEach((v, i) => expect(withinOne(v, classSizes[c]! * fs[i]!)).toBe(true));
          });
          fs.forEach((f, i) => {
            const part = sum(counts.map((row) => row[i]!));
            expect(withinOne(part, total * f)).toBe(true);
          });
        },
      ),
      { numRuns },
    );
  });

  it('spreads many singleton classes evenly instead of piling them into one part', () => {
    const counts = controlledRounding([0.5, 0.5], new Array<number>(11).fill(1), Rng.seeded(1));
    const parts = [0, 1].map((i) => sum(counts.map((row) => row[i]!)));
    expect(parts.sort()).toEqual([5, 6]);
  });

  it('rounds a class up in the part with the larger fractional quota', () => {
    expect(controlledRounding([0.9, 0.1], [3], Rng.seeded(0))).toEqual([[3, 0]]); // 2.7, 0.3
    expect(controlledRounding([0.1, 0.9], [3], Rng.seeded(0))).toEqual([[0, 3]]);
  });

  it('handles tens of thousands of singleton classes quickly enough to finish', () => {
    const counts = controlledRounding(
      [0.5, 0.3, 0.2],
      new Array<number>(30_000).fill(1),
      Rng.seeded(2),
    );
    expect([0, 1, 2].map((i) => sum(counts.map((row) => row[i]!)))).toEqual([15_000, 9_000, 6_000]);
  });

  it('handles thousands of classes', () => {
    const sizes = Array.from({ length: 3000 }, (_, i) => 1 + (i % 4));
    const counts = controlledRounding([0.6, 0.25, 0.15], sizes, Rng.seeded(9));
    const total = sum(sizes);
    [0.6, 0.25, 0.15].forEach((f, i) => {
      expect(withinOne(sum(counts.map((row) => row[i]!)), total * f)).toBe(true);
    });
  });
});
