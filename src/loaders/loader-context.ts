import type { PatientJSON } from '../dataset/index.js';
import type { OpenedImage } from '../readers/index.js';

/**
 * A patient as a worker sees it: plain data received by value (the JSON form of a `Patient`),
 * record paths already absolute.
 */
export type PatientData = PatientJSON;

/** A seeded random source handed to loaders and collectors. */
export interface TaskRandom {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
}

/**
 * What a big-chunk loader receives besides the patient: seeded randomness, the patient's
 * checkpoint, the last message sent to it, cached image access and a cancellation signal.
 *
 * @remarks
 * The random source is seeded from `(seed, patient, tenure, index)`, so a loader that draws
 * only from it returns the same region whenever it is asked again for the same chunk, in any
 * worker.
 *
 * @typeParam O - The loader's options type.
 * @example
 * ```ts
 * export async function loadCentre(patient: PatientData, ctx: LoaderContext): Promise<BigChunk> {
 *   const img = await ctx.openImage();
 *   const { width, height } = img.levels[0]!;
 *   const region = { level: 0, x: width / 2 - 256, y: height / 2 - 256, width: 512, height: 512 };
 *   const px = await img.readRegion(region, { signal: ctx.signal });
 *   return { ...px, info: { patient: patient.id, tenure: ctx.tenure, index: ctx.index, region } };
 * }
 * ```
 */
export interface LoaderContext<O = unknown> {
  /** The options given with the loader spec. */
  readonly options: O;
  /** The tenure (one scheduling of this patient into a slot). */
  readonly tenure: number;
  /** 0-based index of the big chunk within the tenure. */
  readonly index: number;
  /** Seeded random source. */
  readonly random: TaskRandom;
  /** The patient's checkpoint as of now (`undefined` until a collector sets one). */
  readonly checkpoint: unknown;
  /** The last message sent to this patient with `LightDL.sendMessage` (`undefined` if none). */
  readonly lastMessage: unknown;
  /** Aborted when the tenure ends or the loader closes; pass it to reads. */
  readonly signal: AbortSignal;
  /**
   * Opens one of the patient's records (the first when `record` is omitted). Images are cached
   * per worker and reused across chunks; do not close them.
   */
  openImage(record?: string): Promise<OpenedImage>;
  /**
   * Memory for the big chunk's pixels: a `Uint8Array` of exactly `byteLength` bytes over a
   * `SharedArrayBuffer` of its own, often one whose big chunk is finished and whose memory
   * LightDL hands out again (no allocation, no first-touch page faults; `stats().bigChunksReused`
   * counts it). Its contents are unspecified (like `Buffer.allocUnsafe`): write every byte, for
   * example with `readRegion(region, { into })`, and return it whole as the big chunk's `data`.
   * The memory is LightDL's once the loader returns: keep no reference to it (collectors see it
   * as `big.data` only while they work on that big chunk). Memory the loader allocates itself is
   * never reused.
   *
   * @param byteLength - Bytes wanted (an integer ≥ 0).
   * @example
   * ```ts
   * declare const img: OpenedImage;
   * declare const ctx: LoaderContext;
   * const region = { level: 0, x: 0, y: 0, width: 1024, height: 1024 };
   * const px = await img.readRegion(region, { into: ctx.allocate(1024 * 1024 * 3), signal: ctx.signal });
   * ```
   */
  allocate(byteLength: number): Uint8Array;
}
