/**
 * Pearson's chi-square goodness-of-fit statistic and its critical values at p = 0.001.
 */

/** Upper 0.1 % points of the chi-square distribution, by degrees of freedom. */
export const CRITICAL_P001: Readonly<Record<number, number>> = {
  1: 10.828,
  2: 13.816,
  3: 16.266,
  4: 18.467,
  5: 20.515,
  6: 22.458,
  7: 24.322,
  8: 26.124,
  9: 27.877,
  10: 29.588,
};

/** Σ (observed − n·p)² / (n·p) for counts `observed` and category probabilities `probabilities`. */
export function chiSquare(observed: readonly number[], probabilities: readonly number[]): number {
  if (observed.length !== probabilities.length) throw new Error('length mismatch');
  const n = observed.reduce((a, b) => a + b, 0);
  const total = probabilities.reduce((a, b) => a + b, 0);
  let stat = 0;
  observed.forEach((o, i) => {
    const e = (n * probabilities[i]!) / total;
    if (e < 5)
      throw new Error(`expected count ${e} < 5 in category ${i}: the test would be invalid`);
    stat += (o - e) ** 2 / e;
  });
  return stat;
}

/** Critical value for `categories − 1` degrees of freedom. */
export function critical(categories: number): number {
  const c = CRITICAL_P001[categories - 1];
  if (c === undefined)
    throw new Error(`no critical value for ${categories - 1} degrees of freedom`);
  return c;
}

/** All k-subsets of [0, n), as sorted index arrays. */
export function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push(acc.slice());
      return;
    }
    for (let i = start; i < n; i++) rec(i + 1, [...acc, i]);
  };
  rec(0, []);
  return out;
}

/** Sampford's design: P(S) ∝ Σ_{i∈S}(1 − πᵢ) · Π_{i∈S} πᵢ/(1 − πᵢ), for every k-subset. */
export function sampford(pi: readonly number[], k: number): { sets: number[][]; p: number[] } {
  const sets = subsets(pi.length, k);
  const raw = sets.map(
    (s) =>
      s.reduce((a, i) => a + (1 - pi[i]!), 0) * s.reduce((a, i) => a * (pi[i]! / (1 - pi[i]!)), 1),
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return { sets, p: raw.map((r) => r / total) };
}
