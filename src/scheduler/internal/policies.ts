/**
 * The built-in scheduling policies and the adapter for a custom one.
 *
 * @internal
 */
import { expected } from '../../internal/validate.js';
import type { PolicyPatientView, PolicyView } from '../scheduler-policy.js';
import type { PatientState } from '../scheduler-state.js';
import { patientIndex, type Draft } from './draft.js';
import { labelBalanced, weighted } from './metropolis.js';

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
      return weighted(ctx);
    case 'label-balanced':
      return labelBalanced(ctx);
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
  const info = ctx.draft.config.patients[patientIndex(ctx.draft.config, p.id)!]!;
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
