/**
 * Inclusion probabilities proportional to weights, capped at 1: `πᵢ = min(1, c·wᵢ)` with
 * `Σπ = k`. Patients whose share would reach 1 are "pinned" (always active) and the remaining
 * slots are shared in proportion among the others.
 *
 * @internal
 */
export function inclusionProbabilities(weights: readonly number[], k: number): number[] {
  const n = weights.length;
  if (k >= n) return weights.map(() => 1);
  const pinned = new Array<boolean>(n).fill(false);
  let pinnedCount = 0;
  for (;;) {
    let rest = 0;
    for (let i = 0; i < n; i++) if (!pinned[i]) rest += weights[i] as number;
    const scale = (k - pinnedCount) / rest;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (!pinned[i] && (weights[i] as number) * scale >= 1 - PIN_EPSILON) {
        pinned[i] = true;
        pinnedCount++;
        changed = true;
      }
    }
    if (!changed) return weights.map((w, i) => (pinned[i] ? 1 : w * scale));
  }
}

/** Shares this close to 1 count as pinned, so `π / (1 − π)` stays finite. */
export const PIN_EPSILON = 1e-9;
