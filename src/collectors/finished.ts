/**
 * Returned by a small-chunk collector to say it is finished with the current big chunk; the
 * slot then loads the patient's next big chunk (the patient stays scheduled).
 *
 * @remarks
 * It is a registered symbol (`Symbol.for('lightdl.finished')`), so it is the same value in
 * every worker and module copy.
 *
 * @example
 * ```ts
 * export const collect: SmallChunkCollector = (callCount, big, ctx) =>
 *   callCount >= 16 ? FINISHED : cutSomething(big, ctx);
 * ```
 */
export const FINISHED: unique symbol = Symbol.for('lightdl.finished') as never;
