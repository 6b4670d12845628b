import type { LoaderContext } from '../loaders/index.js';

/**
 * What a small-chunk collector receives besides the call count and big chunk: the loader
 * context (options, seeded randomness, checkpoint, last message, signal) plus ways to set the
 * patient's checkpoint and status, to end the big chunk with the current call, and to get
 * memory for small-chunk pixels that the main thread reads without a copy.
 *
 * @remarks
 * `random` is seeded from `(seed, patient, tenure, index, callCount)`: the same call draws the
 * same numbers in any worker. A checkpoint set here is handed to the patient's next tenure
 * (`context.checkpoint`); a tenure that sets none keeps the old one. The status is the
 * collector's latest word on its progress, readable from `LightDL.status(patientId)`.
 *
 * A collector that knows which call is its last calls `finish()` in it instead of returning
 * {@link FINISHED} from one more call: the small chunk it returns is still delivered, and the
 * next big chunk can be loaded without waiting for room for another call.
 *
 * `allocate(n)` is the cheap way to get a small chunk's pixel buffer when a worker cuts many of
 * them: the buffers of one job are carved from blocks of shared memory that the main thread
 * reads without a copy or a transfer, and that are reused once their small chunks were copied
 * into batches. Like `Buffer.allocUnsafe`, its contents are unspecified: write every byte you return.
 *
 * @typeParam O - The collector's options type.
 * @example
 * ```ts
 * export const collect: SmallChunkCollector = (callCount, big, ctx) => {
 *   const seen = (ctx.checkpoint as number | undefined) ?? 0;
 *   ctx.setCheckpoint(seen + 1);
 *   ctx.setStatus({ seen: seen + 1 });
 *   if (callCount === 15) ctx.finish(); // the 16th small chunk is the last of this big chunk
 *   const x = 32 * callCount;
 *   const into = ctx.allocate(32 * 32 * big.channels);
 *   const data = cropPixels(big.data, big.width, big.channels, x, 0, 32, 32, into);
 *   return { data, width: 32, height: 32, info: { x, y: 0 } };
 * };
 * ```
 */
export interface CollectorContext<O = unknown> extends LoaderContext<O> {
  /** Sets the checkpoint carried to this patient's next tenure (structured-cloneable). */
  setCheckpoint(value: unknown): void;
  /** Sets the collector's status (structured-cloneable). */
  setStatus(value: unknown): void;
  /**
   * Makes this call the last on the current big chunk: what it returns is still delivered, and
   * the collector is not called again for this big chunk (as if the next call had returned
   * {@link FINISHED}).
   */
  finish(): void;
  /**
   * A buffer of `byteLength` bytes for a small chunk's pixels, carved from blocks of shared
   * memory used by the small chunks of the current job; the main thread reads it without a copy,
   * and reuses a block for later jobs once its small chunks were copied into batches. Its
   * contents are unspecified (like `Buffer.allocUnsafe`): write every byte. Return it as (or
   * inside) a small chunk of this call; a buffer that is not returned is wasted space in the
   * block.
   *
   * @param byteLength - Bytes wanted (an integer ≥ 0).
   * @returns A `Uint8Array` of exactly `byteLength` bytes.
   */
  allocate(byteLength: number): Uint8Array;
}
