/**
 * Exact apportionment: integer part sizes that sum exactly to the whole and stay within one item
 * of the exact quota, for plain splits (largest remainder) and for stratified splits (a
 * controlled rounding of the class × part table, solved as a small bounded flow).
 *
 * @internal
 * @module
 */
import type { Rng } from '../internal/rng.js';

/** `weight / total × n`, snapped to the nearest integer when floating-point noise is all that separates them. */
function quota(weight: number, n: number, total: number): number {
  const q = (weight * n) / total;
  const r = Math.round(q);
  return Math.abs(q - r) <= 1e-9 * Math.max(1, Math.abs(q)) ? r : q;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Largest-remainder (Hamilton) apportionment of `n` items to parts in proportion to `weights`:
 * sizes sum to `n`, each is the floor or the ceiling of its quota. Ties go to the lower index.
 */
export function largestRemainder(weights: readonly number[], n: number): number[] {
  const total = sum(weights);
  const quotas = weights.map((w) => quota(w, n, total));
  const sizes = quotas.map(Math.floor);
  let left = n - sum(sizes);
  const order = quotas
    .map((q, i) => ({ i, frac: q - Math.floor(q) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    sizes[i] = (sizes[i] as number) + 1;
    left--;
  }
  return sizes;
}

/**
 * A controlled rounding of the table `classSizes[c] × weights[i] / Σweights`: integer counts
 * whose row sums are exactly `classSizes[c]`, where each count is the floor or the ceiling of its
 * quota, and each column sum (part size) is the floor or the ceiling of its own quota. Such a
 * rounding always exists (the table of quotas is a fractional solution of a flow problem, whose
 * polytope has integral vertices); it is found by augmenting paths. Among the parts a class may
 * round up, those with the larger fractional quota are tried first, ties broken by `rng`.
 */
export function controlledRounding(
  weights: readonly number[],
  classSizes: readonly number[],
  rng: Rng,
): number[][] {
  const total = sum(weights);
  const parts = weights.length;
  const counts = classSizes.map((n) => weights.map((w) => Math.floor(quota(w, n, total))));
  const spare = classSizes.map((n, c) => n - sum(counts[c] as number[]));
  // Parts each class may round up into: positive fractional quota, larger first, ties at random.
  const allowed = classSizes.map((n, c) => {
    const row = counts[c] as number[];
    const ranked = weights
      .map((w, i) => ({ i, frac: quota(w, n, total) - (row[i] as number), tie: rng.float() }))
      .filter((e) => e.frac > 0)
      .sort((a, b) => b.frac - a.frac || a.tie - b.tie);
    return ranked.map((e) => e.i);
  });
  const grand = sum(classSizes);
  const floorsPerPart = weights.map((_, i) => sum(counts.map((row) => row[i] as number)));
  const partQuotas = weights.map((w) => quota(w, grand, total));
  const lower = partQuotas.map((q, i) => Math.max(0, Math.floor(q) - (floorsPerPart[i] as number)));
  const upper = partQuotas.map((q, i) =>
    Math.max(lower[i] as number, Math.ceil(q) - (floorsPerPart[i] as number)),
  );

  const flow = new ExtraUnits(parts, classSizes.length, allowed, spare);
  flow.fill(lower);
  flow.fill(upper);
  flow.placeLeftovers();
  return counts.map((row, c) => row.map((v, i) => v + flow.units(c, i)));
}

/**
 * The "+1" units of a controlled rounding: class `c` places `spare[c]` units, at most one per
 * allowed part; each part takes at most `cap[i]`. Ford–Fulkerson where the search runs over parts
 * only: an edge `i → j` means some class holding a unit in `i` could hold it in `j` instead
 * (`#movable`), so one augmenting path costs O(parts²) however many classes there are. Part loads
 * never decrease along an augmenting path, so lower bounds filled first stay filled.
 */
class ExtraUnits {
  readonly #parts: number;
  readonly #allowed: readonly (readonly number[])[];
  readonly #spare: readonly number[];
  readonly #placed: number[];
  readonly #load: number[];
  /** `#holds[c]`: the parts where class `c` holds a unit. */
  readonly #holds: Set<number>[];
  /** `#movable[i * parts + j]`: classes holding `i` that may move that unit to `j`. */
  readonly #movable: Set<number>[];

  constructor(
    parts: number,
    classes: number,
    allowed: readonly (readonly number[])[],
    spare: readonly number[],
  ) {
    this.#parts = parts;
    this.#allowed = allowed;
    this.#spare = spare;
    this.#placed = new Array<number>(classes).fill(0);
    this.#load = new Array<number>(parts).fill(0);
    this.#holds = Array.from({ length: classes }, () => new Set<number>());
    this.#movable = Array.from({ length: parts * parts }, () => new Set<number>());
  }

  units(c: number, i: number): number {
    return this.#holds[c]?.has(i) === true ? 1 : 0;
  }

  /** Augments until no class with units left can reach a part below `cap`. */
  fill(cap: readonly number[]): void {
    const capacity = sum(cap);
    let progress = true;
    while (progress && sum(this.#load) < capacity) {
      progress = false;
      for (let c = 0; c < this.#spare.length; c++) {
        while ((this.#placed[c] as number) < (this.#spare[c] as number) && this.#augment(c, cap)) {
          progress = true;
        }
      }
    }
  }

  /** Any unit still unplaced (only possible through floating-point noise) goes to a free allowed part. */
  placeLeftovers(): void {
    for (let c = 0; c < this.#spare.length; c++) {
      for (const i of this.#allowed[c] as readonly number[]) {
        if ((this.#placed[c] as number) >= (this.#spare[c] as number)) break;
        if (!(this.#holds[c] as Set<number>).has(i)) this.#take(c, i);
      }
    }
  }

  #take(c: number, i: number): void {
    this.#unlist(c);
    (this.#holds[c] as Set<number>).add(i);
    this.#placed[c] = (this.#placed[c] as number) + 1;
    this.#load[i] = (this.#load[i] as number) + 1;
    this.#list(c);
  }

  #move(c: number, from: number, to: number): void {
    this.#unlist(c);
    const holds = this.#holds[c] as Set<number>;
    holds.delete(from);
    holds.add(to);
    this.#load[from] = (this.#load[from] as number) - 1;
    this.#load[to] = (this.#load[to] as number) + 1;
    this.#list(c);
  }

  #list(c: number): void {
    const holds = this.#holds[c] as Set<number>;
    for (const i of holds) {
      for (const j of this.#allowed[c] as readonly number[]) {
        if (!holds.has(j)) (this.#movable[i * this.#parts + j] as Set<number>).add(c);
      }
    }
  }

  #unlist(c: number): void {
    const holds = this.#holds[c] as Set<number>;
    for (const i of holds) {
      for (const j of this.#allowed[c] as readonly number[]) {
        (this.#movable[i * this.#parts + j] as Set<number>).delete(c);
      }
    }
  }

  /** One augmenting path from class `start` to a part below its cap; `false` if there is none. */
  #augment(start: number, cap: readonly number[]): boolean {
    const parts = this.#parts;
    const holds = this.#holds[start] as Set<number>;
    const room = (i: number): boolean => (this.#load[i] as number) < (cap[i] as number);
    const first = (this.#allowed[start] as readonly number[]).filter((i) => !holds.has(i));
    const direct = first.find(room);
    if (direct !== undefined) {
      this.#take(start, direct);
      return true;
    }
    const parent = new Array<number>(parts).fill(-2); // -2: unvisited, -1: reached from `start`
    const queue: number[] = [];
    for (const i of first) {
      parent[i] = -1;
      queue.push(i);
    }
    for (let head = 0; head < queue.length; head++) {
      const i = queue[head] as number;
      for (let j = 0; j < parts; j++) {
        if (parent[j] !== -2 || (this.#movable[i * parts + j] as Set<number>).size === 0) continue;
        parent[j] = i;
        if (room(j)) {
          this.#shift(j, parent, start);
          return true;
        }
        queue.push(j);
      }
    }
    return false;
  }

  /** Applies the path ending at part `end`: each class on it moves one step, then `start` takes the first part. */
  #shift(end: number, parent: readonly number[], start: number): void {
    let j = end;
    for (let i = parent[j] as number; i !== -1; j = i, i = parent[j] as number) {
      const mover = (this.#movable[i * this.#parts + j] as Set<number>).values().next()
        .value as number;
      this.#move(mover, i, j);
    }
    this.#take(start, j);
  }
}
