/**
 * The `'weighted'` and `'label-balanced'` policies: Metropolis–Hastings swaps whose stationary law
 * for the active set is Sampford's design for inclusion probabilities proportional to the target
 * weights (capped at 1), so each patient's long-run share of the slots follows its weight.
 *
 * Work per decision is a couple of passes over the patients, indexed by dataset position.
 *
 * @internal
 */
import type { Rng } from '../../internal/rng.js';
import type { PatientState } from '../scheduler-state.js';
import { patientIndex } from './draft.js';
import { inclusionProbabilities, PIN_EPSILON } from './inclusion.js';
import type { Choice, PolicyContext } from './policies.js';

/** Admission proposals among candidate patients (dataset indexes), prepared in one pass. */
interface Proposal {
  draw(rng: Rng): number;
  /** Probability of proposing `a`. */
  forward(a: number): number;
  /** Probability of proposing `e` back, once `a` is admitted and `e` waits instead. */
  reverse(a: number, e: number): number;
}

/** `'weighted'`: targets and proposals follow each patient's `weight`. */
export function weighted(ctx: PolicyContext): Choice | null {
  const patients = ctx.draft.config.patients;
  const weight = (i: number): number => patients[i]!.weight;
  return metropolis(ctx, weight, (cs) => byWeight(cs, weight));
}

/** `'label-balanced'`: targets `1 / (labels × patients of the label)`; proposals pick a label first. */
export function labelBalanced(ctx: PolicyContext): Choice | null {
  const { patients } = ctx.draft.config;
  const label = (i: number): string => patients[i]!.label ?? '';
  const counts = new Map<string, number>();
  ctx.draft.patients.forEach((p, i) => {
    if (!p.setAside) counts.set(label(i), (counts.get(label(i)) ?? 0) + 1);
  });
  const weight = (i: number): number => 1 / counts.size / (counts.get(label(i)) ?? 1);
  return metropolis(ctx, weight, (cs) => byLabel(cs, label));
}

function metropolis(
  ctx: PolicyContext,
  weight: (i: number) => number,
  propose: (candidates: readonly number[]) => Proposal,
): Choice | null {
  const d = ctx.draft;
  const rng = d.rng();
  const n = d.patients.length;
  const loadable: number[] = [];
  const candidates: number[] = [];
  d.patients.forEach((p, i) => {
    if (p.setAside) return;
    loadable.push(i);
    if (p.slot === undefined && p.retryAt <= d.now) candidates.push(i);
  });
  const k = Math.min(d.config.numBigChunkLoaders, loadable.length);
  const shares = inclusionProbabilities(loadable.map(weight), k);
  const pi = new Float64Array(n);
  loadable.forEach((i, j) => (pi[i] = shares[j]!));
  const pinned = (i: number): boolean => pi[i]! >= 1 - PIN_EPSILON;
  const indexOf = (p: PatientState): number => patientIndex(d.config, p.id)!;

  const pinnedWaiting = candidates.filter(pinned);
  const pool = pinnedWaiting.length > 0 ? pinnedWaiting : candidates.filter((i) => !pinned(i));
  if (ctx.mode === 'fill') {
    return { evict: undefined, admit: d.patients[propose(pool).draw(rng)]!.id };
  }
  const evictable = ctx.evictable.map(indexOf).filter((i) => !pinned(i));
  if (evictable.length === 0 || pool.length === 0) return null;
  const e = rng.pick(evictable);
  const proposal = propose(pool);
  const a = proposal.draw(rng);
  if (pinnedWaiting.length > 0) return { evict: d.patients[e]!.id, admit: d.patients[a]!.id };
  // Sampford's design: P(S) ∝ Σ_{i∈S}(1 − πᵢ) · Π_{i∈S} πᵢ/(1 − πᵢ), over the active set S.
  const spread = ctx.active.reduce((s, p) => s + (1 - pi[indexOf(p)]!), 0);
  const spreadAfter = spread - (1 - pi[e]!) + (1 - pi[a]!);
  const odds = (i: number): number => pi[i]! / (1 - pi[i]!);
  const ratio =
    (spreadAfter / spread) * (odds(a) / odds(e)) * (proposal.reverse(a, e) / proposal.forward(a));
  return rng.float() < ratio ? { evict: d.patients[e]!.id, admit: d.patients[a]!.id } : null;
}

function byWeight(candidates: readonly number[], weight: (i: number) => number): Proposal {
  let total = 0;
  for (const i of candidates) total += weight(i);
  return {
    draw(rng) {
      let r = rng.float() * total;
      for (const i of candidates) {
        r -= weight(i);
        if (r < 0) return i;
      }
      return candidates.at(-1)!;
    },
    forward: (a) => weight(a) / total,
    reverse: (a, e) => weight(e) / (total - weight(a) + weight(e)),
  };
}

function byLabel(candidates: readonly number[], label: (i: number) => string): Proposal {
  const counts = new Map<string, number>();
  for (const i of candidates) counts.set(label(i), (counts.get(label(i)) ?? 0) + 1);
  const labels = [...counts.keys()];
  return {
    draw(rng) {
      const chosen = rng.pick(labels);
      let nth = rng.int(0, counts.get(chosen)! - 1);
      for (const i of candidates) if (label(i) === chosen && nth-- === 0) return i;
      return candidates.at(-1)!;
    },
    forward: (a) => 1 / labels.length / counts.get(label(a))!,
    reverse(a, e) {
      const la = label(a);
      const le = label(e);
      if (la === le) return 1 / labels.length / counts.get(la)!;
      const left = counts.get(la)! - 1;
      const joined = (counts.get(le) ?? 0) + 1;
      const labelCount = labels.length - (left === 0 ? 1 : 0) + (joined === 1 ? 1 : 0);
      return 1 / labelCount / joined;
    },
  };
}
