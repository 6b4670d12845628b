/**
 * Validation of the part sizes and names shared by the split methods.
 *
 * @internal
 * @module
 */
import { expected } from '../internal/validate.js';
import { assertObject } from './init-checks.js';
import type { SplitOptions } from './split-options.js';

/** The validated weights (fractions or percentages, as given) and part names. */
export interface Parts {
  readonly weights: readonly number[];
  readonly names: readonly string[];
}

/** Throws unless `seed` is a finite number. */
export function assertSeed(name: string, seed: unknown): number {
  if (typeof seed !== 'number') throw new TypeError(expected(name, 'a finite number', seed));
  if (!Number.isFinite(seed)) throw new RangeError(expected(name, 'a finite number', seed));
  return seed;
}

function checkWeights(name: string, value: unknown, total: number, tolerance: number): number[] {
  const what = `an array of numbers ≥ 0 summing to ${total}`;
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(expected(name, what, value));
  const weights = value as readonly unknown[];
  weights.forEach((w, i) => {
    if (typeof w !== 'number') throw new TypeError(expected(`${name}[${i}]`, 'a number ≥ 0', w));
    if (!Number.isFinite(w) || w < 0) {
      throw new RangeError(expected(`${name}[${i}]`, 'a number ≥ 0', w));
    }
  });
  const sum = (weights as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - total) > tolerance) throw new RangeError(expected(name, what, value));
  return (weights as number[]).slice();
}

/** Validates `fractions`/`percentages`, `seed` and `names` of split options. */
export function resolveParts(options: SplitOptions): Parts {
  assertObject('options', options);
  const { fractions, percentages } = options;
  if ((fractions === undefined) === (percentages === undefined)) {
    const what =
      'an array of numbers summing to 1 (or give `percentages` summing to 100, not both)';
    throw new TypeError(expected('fractions', what, fractions));
  }
  const weights =
    fractions !== undefined
      ? checkWeights('fractions', fractions, 1, 1e-6)
      : checkWeights('percentages', percentages, 100, 1e-4);
  assertSeed('seed', options.seed);
  const names = options.names ?? weights.map((_, i) => String(i));
  const what = `an array of ${weights.length} distinct non-empty strings (one per part)`;
  if (
    !Array.isArray(names) ||
    names.length !== weights.length ||
    names.some((n) => typeof n !== 'string' || n.length === 0) ||
    new Set(names).size !== names.length
  ) {
    throw new TypeError(expected('names', what, names));
  }
  return { weights, names: names.slice() };
}
