/**
 * The index-level algorithms behind the split methods: which patient indices go into which part,
 * and how many times each patient is repeated. Pure functions of their inputs and a seed.
 *
 * @internal
 * @module
 */
import { Rng } from '../internal/rng.js';
import { controlledRounding, largestRemainder } from './apportion.js';
import { groupByLabel } from './labels.js';
import type { Label } from './types.js';

const ascending = (a: number, b: number): number => a - b;

/** The indices `0 … count-1` split at random into parts of largest-remainder sizes; each part sorted. */
export function randomParts(count: number, weights: readonly number[], seed: number): number[][] {
  const rng = Rng.seeded(seed);
  const order = rng.shuffled(Array.from({ length: count }, (_, i) => i));
  const parts: number[][] = [];
  let at = 0;
  for (const size of largestRemainder(weights, count)) {
    parts.push(order.slice(at, at + size).sort(ascending));
    at += size;
  }
  return parts;
}

/**
 * The indices of `labels` split so that each class is apportioned on its own (controlled
 * rounding: per-class and per-part counts both within one of exact); each part sorted.
 */
export function stratifiedParts(
  labels: readonly Label[],
  weights: readonly number[],
  seed: number,
): number[][] {
  const rng = Rng.seeded(seed);
  const classes = [...groupByLabel(labels).values()].map((members) => rng.shuffled(members));
  const counts = controlledRounding(
    weights,
    classes.map((members) => members.length),
    rng,
  );
  const parts: number[][] = weights.map(() => []);
  classes.forEach((members, c) => {
    let at = 0;
    (counts[c] as number[]).forEach((size, i) => {
      (parts[i] as number[]).push(...members.slice(at, at + size));
      at += size;
    });
  });
  return parts.map((part) => part.sort(ascending));
}

/**
 * How many times each patient appears after balancing by repeat (1 = only the original): every
 * class totals `target`; within a class of `n`, each patient appears `⌊target / n⌋` times and
 * `target mod n` of them, chosen with `seed`, once more.
 */
export function repeatCounts(labels: readonly Label[], target: number, seed: number): number[] {
  const rng = Rng.seeded(seed);
  const counts = new Array<number>(labels.length).fill(0);
  for (const members of groupByLabel(labels).values()) {
    const base = Math.floor(target / members.length);
    const extra = target % members.length;
    const lucky = new Set(rng.shuffled(members).slice(0, extra));
    for (const i of members) counts[i] = base + (lucky.has(i) ? 1 : 0);
  }
  return counts;
}
