/**
 * The built-in scheduling policies and the adapter for a custom one.
 *
 * @internal
 */
import type { Rng } from '../../internal/rng.js';
import { expected } from '../../internal/validate.js';
import type { PolicyPatientView, PolicyView } from '../scheduler-policy.js';
import type { PatientState } from '../scheduler-state.js';
import { patientIndex, type Draft } from './draft.js';
import { inclusionProbabilities, PIN_EPSILON } from './inclusion.js';

/** What a policy decides from. */
export interface PolicyContext {
  readonly draft: Draft;
  readonly mode: 'fill' | 'swap';
  /** Tenants of the slots, in slot order. */
  readonly active: readonly PatientState[];
  /** Tenants that may be evicted now (swap mode; never empty there), in slot order. */
  readonly evictable: readonly PatientState[];
  /** Patients admissible now, in dataset order; never empty. */
  readonly waiting: readonly PatientState[];
}

/** A decision; `evict` is set in swap mode. */
export interface Choice {
  readonly evict: string | undefined;
  readonly admit: string;
}

/** Asks the configured policy; `null` means no swap this interval (swap mode only). */
export function decide(ctx: PolicyContext): Choice | null {
  const policy = ctx.draft.config.policy;
  if (typeof policy === 'function') return custom(ctx, policy);
  switch (policy) {
    case 'pydmed':
      return pydmed(ctx);
    case 'round-robin':
      return roundRobin(ctx);
    case 'weighted':
      return metropolis(ctx, (p) => weightOf(ctx, p), byWeight(ctx));
    case 'label-balanced':
      return metropolis(ctx, labelWeights(ctx), byLabel(ctx));
  }
}

// ── pydmed ──

function pydmed(ctx: PolicyContext): Choice {
  const rng = ctx.draft.rng();
  const evict = ctx.mode === 'swap' ? rng.pick(ctx.evictable).id : undefined;
  const fresh = ctx.waiting.filter((p) => p.timesScheduled === 0);
  const admit =
    fresh.length > 0
      ? rng.pick(fresh)
      : (ctx.waiting[
          rng.weightedIndex(ctx.waiting.map((p) => 1 / (1 + p.timesScheduled)))
        ] as PatientState);
  return { evict, admit: admit.id };
}

// ── round-robin ──

function roundRobin(ctx: PolicyContext): Choice {
  const oldest = (ps: readonly PatientState[]): PatientState =>
    ps.reduce((a, b) => (b.lastScheduledSeq < a.lastScheduledSeq ? b : a));
  return {
    evict: ctx.mode === 'swap' ? oldest(ctx.evictable).id : undefined,
    admit: oldest(ctx.waiting).id,
  };
}

// ── weighted and label-balanced: Metropolis–Hastings towards Sampford's design ──

/** How admissions are proposed among waiting patients. */
interface Proposal {
  draw(candidates: readonly PatientState[], rng: Rng): PatientState;
  probability(candidates: readonly PatientState[], p: PatientState): number;
}

function weightOf(ctx: PolicyContext, p: PatientState): number {
  return ctx.draft.config.patients[indexOf(ctx, p)]!.weight;
}

function labelOf(ctx: PolicyContext, p: PatientState): string {
  return ctx.draft.config.patients[indexOf(ctx, p)]!.label ?? '';
}

function indexOf(ctx: PolicyContext, p: PatientState): number {
  return patientIndex(ctx.draft.config, p.id) as number;
}

function byWeight(ctx: PolicyContext): Proposal {
  return {
    draw: (cs, rng) => cs[rng.weightedIndex(cs.map((p) => weightOf(ctx, p)))] as PatientState,
    probability: (cs, p) => weightOf(ctx, p) / cs.reduce((s, c) => s + weightOf(ctx, c), 0),
  };
}

function byLabel(ctx: PolicyContext): Proposal {
  const labels = (cs: readonly PatientState[]): Map<string, PatientState[]> => {
    const m = new Map<string, PatientState[]>();
    for (const c of cs) {
      const l = labelOf(ctx, c);
      const group = m.get(l);
      if (group === undefined) m.set(l, [c]);
      else group.push(c);
    }
    return m;
  };
  return {
    draw: (cs, rng) => rng.pick(rng.pick([...labels(cs).values()])),
    probability: (cs, p) => {
      const m = labels(cs);
      return 1 / m.size / m.get(labelOf(ctx, p))!.length;
    },
  };
}

/** Label-balanced target weights: `1 / (labels × patients of the label)` among loadable patients. */
function labelWeights(ctx: PolicyContext): (p: PatientState) => number {
  const counts = new Map<string, number>();
  for (const p of ctx.draft.patients) {
    if (!p.setAside) counts.set(labelOf(ctx, p), (counts.get(labelOf(ctx, p)) ?? 0) + 1);
  }
  return (p) => 1 / counts.size / (counts.get(labelOf(ctx, p)) ?? 1);
}

function metropolis(
  ctx: PolicyContext,
  weight: (p: PatientState) => number,
  proposal: Proposal,
): Choice | null {
  const d = ctx.draft;
  const rng = d.rng();
  const loadable = d.patients.filter((p) => !p.setAside);
  const k = Math.min(d.config.numBigChunkLoaders, loadable.length);
  const pis = inclusionProbabilities(loadable.map(weight), k);
  const pi = new Map(loadable.map((p, i) => [p.id, pis[i] as number]));
  const pinned = (p: PatientState): boolean => (pi.get(p.id) ?? 0) >= 1 - PIN_EPSILON;

  const pinnedWaiting = ctx.waiting.filter(pinned);
  if (ctx.mode === 'fill') {
    const pool = pinnedWaiting.length > 0 ? pinnedWaiting : ctx.waiting;
    return { evict: undefined, admit: proposal.draw(pool, rng).id };
  }
  const evictable = ctx.evictable.filter((p) => !pinned(p));
  if (evictable.length === 0) return null;
  if (pinnedWaiting.length > 0) {
    return { evict: rng.pick(evictable).id, admit: proposal.draw(pinnedWaiting, rng).id };
  }
  const candidates = ctx.waiting;
  const e = rng.pick(evictable);
  const a = proposal.draw(candidates, rng);
  const piOf = (p: PatientState): number => pi.get(p.id) ?? 0;
  // Sampford's design: P(S) ∝ Σ_{i∈S}(1 − πᵢ) · Π_{i∈S} πᵢ/(1 − πᵢ), over the active set S.
  const spread = ctx.active.reduce((s, p) => s + (1 - piOf(p)), 0);
  const spreadAfter = spread - (1 - piOf(e)) + (1 - piOf(a));
  const odds = (p: PatientState): number => piOf(p) / (1 - piOf(p));
  const reverse = candidates.filter((c) => c !== a).concat(e);
  const ratio =
    (spreadAfter / spread) *
    (odds(a) / odds(e)) *
    (proposal.probability(reverse, e) / proposal.probability(candidates, a));
  return rng.float() < ratio ? { evict: e.id, admit: a.id } : null;
}

// ── custom ──

function custom(
  ctx: PolicyContext,
  policy: (view: PolicyView) => { evict?: string; admit: string } | null,
): Choice | null {
  const rng = ctx.draft.rng();
  const view: PolicyView = Object.freeze({
    mode: ctx.mode,
    now: ctx.draft.now,
    active: Object.freeze(
      (ctx.mode === 'swap' ? ctx.evictable : ctx.active).map((p) => viewOf(ctx, p)),
    ),
    waiting: Object.freeze(ctx.waiting.map((p) => viewOf(ctx, p))),
    random: () => rng.float(),
  });
  const answer: unknown = policy(view);
  if (answer === null && ctx.mode === 'swap') return null;
  const name = 'policy(view)';
  if (answer === null || typeof answer !== 'object') {
    const what = ctx.mode === 'fill' ? '`{ admit }`' : '`{ evict, admit }` or null';
    throw new TypeError(expected(name, what, answer));
  }
  const { evict, admit } = answer as { evict?: unknown; admit?: unknown };
  if (typeof admit !== 'string' || !ctx.waiting.some((p) => p.id === admit)) {
    throw new TypeError(expected(`${name}.admit`, 'the id of a patient in `view.waiting`', admit));
  }
  if (ctx.mode === 'fill') {
    if (evict !== undefined) {
      throw new TypeError(expected(`${name}.evict`, "undefined in 'fill' mode", evict));
    }
    return { evict: undefined, admit };
  }
  if (typeof evict !== 'string' || !ctx.active.some((p) => p.id === evict)) {
    throw new TypeError(expected(`${name}.evict`, 'the id of a patient in `view.active`', evict));
  }
  return { evict, admit };
}

function viewOf(ctx: PolicyContext, p: PatientState): PolicyPatientView {
  const info = ctx.draft.config.patients[indexOf(ctx, p)]!;
  return Object.freeze({
    id: p.id,
    label: info.label,
    weight: info.weight,
    timesScheduled: p.timesScheduled,
    lastScheduledAt: p.lastScheduledAt,
    delivered: p.delivered,
    consecutiveFailures: p.consecutiveFailures,
    slot: p.slot,
  });
}
