import type { LoaderContext } from '../loaders/index.js';

/**
 * What a small-chunk collector receives besides the call count and big chunk: the loader
 * context (options, seeded randomness, checkpoint, last message, signal) plus ways to set the
 * patient's checkpoint and status.
 *
 * @remarks
 * `random` is seeded from `(seed, patient, tenure, index, callCount)`: the same call draws the
 * same numbers in any worker. A checkpoint set here is handed to the patient's next tenure
 * (`context.checkpoint`); a tenure that sets none keeps the old one. The status is the
 * collector's latest word on its progress, readable from `LightDL.status(patientId)`.
 *
 * @typeParam O - The collector's options type.
 * @example
 * ```ts
 * export const collect: SmallChunkCollector = (callCount, big, ctx) => {
 *   const seen = (ctx.checkpoint as number | undefined) ?? 0;
 *   ctx.setCheckpoint(seen + 1);
 *   ctx.setStatus({ seen: seen + 1 });
 *   return null;
 * };
 * ```
 */
export interface CollectorContext<O = unknown> extends LoaderContext<O> {
  /** Sets the checkpoint carried to this patient's next tenure (structured-cloneable). */
  setCheckpoint(value: unknown): void;
  /** Sets the collector's status (structured-cloneable). */
  setStatus(value: unknown): void;
}
