/**
 * How the scheduler chooses which patient to admit into a slot and which to evict.
 *
 * @remarks
 * A swap is due once per reschedule interval. It needs a waiting patient (if none, the interval
 * passes without a swap) and an *evictable* active patient: one that is collecting and has served
 * something in its tenure (a small chunk, or a whole big chunk). If no active patient is
 * evictable yet, the swap stays due and happens as soon as one is. A load in progress is thus never
 * thrown away by a swap, and a reschedule interval shorter than a load cannot starve the consumer.
 *
 * - `'pydmed'` (default): PyDmed's rule. A swap evicts a uniformly random evictable patient and admits
 *   a waiting patient with weight `1 / (1 + timesScheduled)`; a patient never scheduled so far is
 *   always admitted before any other (uniformly among such patients). Explicit weights are ignored.
 *   Long-run scheduling frequencies are uniform.
 * - `'weighted'`: long-run shares follow the explicit `weight` of each patient. Each patient is
 *   active a fraction of the time equal to its inclusion probability
 *   `πᵢ = min(1, c·weightᵢ)` with `Σπ = numBigChunkLoaders` (so its share of the slots is
 *   `weightᵢ / Σweight` unless a weight is so large that the patient is simply always active).
 *   A swap proposes to evict a uniformly random evictable patient and to admit a waiting patient
 *   drawn in proportion to its weight, and accepts the proposal with the Metropolis–Hastings
 *   probability that makes the stationary law of the active set Sampford's design for `π`
 *   (whose inclusion probabilities are exactly `π`); a declined proposal means no swap in that
 *   interval. Since the merge takes one small chunk from each non-empty slot in turn, a patient's
 *   share of the delivered small chunks follows its share of the slots.
 * - `'label-balanced'`: every label gets the same long-run share of the slots, and patients of a
 *   label share it equally: a swap proposes a label chosen uniformly (among labels with a waiting
 *   patient), then a waiting patient of that label chosen uniformly, with the same acceptance step
 *   as `'weighted'` for the weights `1 / (labels × patients of the label)`. Every patient needs a
 *   `label`.
 * - `'round-robin'`: in turn. A swap evicts the evictable patient admitted longest ago and admits
 *   the waiting patient scheduled longest ago (never-scheduled patients first, in dataset order).
 *   No randomness.
 * - a {@link CustomSchedulerPolicy} function.
 *
 * @example
 * ```ts
 * const policy: SchedulerPolicy = 'label-balanced';
 * ```
 */
export type SchedulerPolicy =
  'pydmed' | 'weighted' | 'label-balanced' | 'round-robin' | CustomSchedulerPolicy;

/**
 * A scheduling decision made by your own code.
 *
 * @remarks
 * Called with `view.mode === 'fill'` when a slot is vacant (at start, after a failure): it must
 * return `{ admit }` naming a patient of `view.waiting` (and no `evict`). Called with
 * `view.mode === 'swap'` once per reschedule interval when a swap is possible: it returns
 * `{ evict, admit }` (a patient of `view.active` and one of `view.waiting`), or `null` to skip this
 * interval. Any other answer makes `step` throw a `TypeError` naming the bad field.
 *
 * The function must be pure: decide from `view` alone and draw randomness only from
 * `view.random()`, so that runs stay reproducible for a given seed.
 *
 * @param view - The patients that can be evicted and admitted, with their counts.
 * @returns The decision, or `null` to skip a swap.
 * @example
 * ```ts
 * // Admit the waiting patient served least so far; evict the one served most.
 * const leastServed: CustomSchedulerPolicy = (view) => {
 *   const byServed = (a: PolicyPatientView, b: PolicyPatientView) => a.delivered - b.delivered;
 *   const admit = [...view.waiting].sort(byServed)[0]!.id;
 *   if (view.mode === 'fill') return { admit };
 *   const evict = [...view.active].sort(byServed).at(-1)!.id;
 *   return { evict, admit };
 * };
 * ```
 */
export type CustomSchedulerPolicy = (view: PolicyView) => PolicyDecision | null;

/**
 * What a {@link CustomSchedulerPolicy} decides.
 *
 * @example
 * ```ts
 * const decision: PolicyDecision = { evict: 'a', admit: 'b' };
 * ```
 */
export interface PolicyDecision {
  /** Id of an active patient to evict (`'swap'` mode only). */
  readonly evict?: string;
  /** Id of a waiting patient to admit. */
  readonly admit: string;
}

/**
 * What a {@link CustomSchedulerPolicy} sees.
 *
 * @example
 * ```ts
 * const uniform: CustomSchedulerPolicy = (view) => {
 *   const pick = <T>(xs: readonly T[]): T => xs[Math.floor(view.random() * xs.length)]!;
 *   const admit = pick(view.waiting).id;
 *   return view.mode === 'fill' ? { admit } : { evict: pick(view.active).id, admit };
 * };
 * ```
 */
export interface PolicyView {
  /** `'fill'`: a vacant slot needs a patient; `'swap'`: the reschedule interval elapsed. */
  readonly mode: 'fill' | 'swap';
  /** Virtual time of the decision, in milliseconds. */
  readonly now: number;
  /**
   * In `'swap'` mode, the patients that may be evicted now (holding a slot, collecting, and having
   * served something in their tenure); in `'fill'` mode, every patient holding a slot. In slot
   * order.
   */
  readonly active: readonly PolicyPatientView[];
  /** Patients that can be admitted now (not active, not set aside, not backing off), in dataset order. Never empty. */
  readonly waiting: readonly PolicyPatientView[];
  /** A seeded uniform float in [0, 1): the only randomness a policy may use. */
  random(): number;
}

/**
 * One patient as a {@link CustomSchedulerPolicy} sees it.
 *
 * @example
 * ```ts
 * const leastServedFirst = (a: PolicyPatientView, b: PolicyPatientView) => a.delivered - b.delivered;
 * ```
 */
export interface PolicyPatientView {
  /** Patient id. */
  readonly id: string;
  /** The patient's label, if any. */
  readonly label: string | undefined;
  /** The patient's weight (1 unless given). */
  readonly weight: number;
  /** How many tenures the patient has been given so far. */
  readonly timesScheduled: number;
  /** When the patient was last admitted (ms), or `undefined` if never. */
  readonly lastScheduledAt: number | undefined;
  /** Small chunks of this patient delivered to the consumer so far. */
  readonly delivered: number;
  /** Failures since the patient's last success. */
  readonly consecutiveFailures: number;
  /** The slot the patient holds, or `undefined` if it is waiting. */
  readonly slot: number | undefined;
}
