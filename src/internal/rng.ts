/**
 * Seeded randomness: a small wrapper over pure-rand's xoroshiro128+ (fast, jumpable, with a
 * serialisable state), so every random choice in lightdl is reproducible. The seeds of its parts
 * come from {@link deriveSeed}.
 *
 * @internal
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { deriveSeed } from './derive-seed.js';

/** A seeded random source. Mutable; `state()` and `Rng.fromState` round-trip it. */
export class Rng {
  #gen: JumpableRandomGenerator;

  private constructor(gen: JumpableRandomGenerator) {
    this.#gen = gen;
  }

  /** A generator seeded with a 32-bit integer (other numbers are hashed to one). */
  static seeded(seed: number): Rng {
    return new Rng(xoroshiro128plus(toSeed32(seed)));
  }

  /** A generator restored from `state()`. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  /** The generator's state, to restore later with `Rng.fromState`. */
  state(): readonly number[] {
    return this.#gen.getState();
  }

  /** An independent copy. */
  clone(): Rng {
    return Rng.fromState(this.state());
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformFloat64(this.#gen);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.#gen, min, max);
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An index chosen with probability proportional to `weights` (non-negative, not all zero). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new RangeError('Expected at least one positive weight');
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    // Rounding can leave r ≥ 0 at the end: return the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }

  /** A shuffled copy (Fisher–Yates); the input is not mutated. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }
}

function toSeed32(seed: number): number {
  if (Number.isInteger(seed) && seed >= -0x80000000 && seed <= 0xffffffff) return seed | 0;
  return deriveSeed(Math.floor(seed * 1000003) | 0, Math.floor(seed / 4294967296) | 0);
}
