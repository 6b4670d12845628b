import type { BigChunk } from './big-chunk.js';
import type { LoaderContext, PatientData } from './loader-context.js';

/**
 * What a big-chunk loader returns: pixels plus optional info; lightdl fills in the patient,
 * tenure and index.
 */
export interface BigChunkResult {
  /** Pixels, `height × width × channels` bytes, row-major, channels interleaved. */
  readonly data: Uint8Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Channels per pixel. */
  readonly channels: number;
  /** Optional info: record, region, downsample, extra. */
  readonly info?: Partial<Omit<BigChunk['info'], 'patient' | 'tenure' | 'index'>>;
}

/**
 * A big-chunk loader: given a patient, reads one big region of its image. Runs on the worker
 * pool, so it lives in a module file and is named by a {@link BigChunkLoaderSpec}.
 *
 * @typeParam O - Options type passed through the spec.
 * @example
 * ```ts
 * // my-loader.ts
 * export const load: BigChunkLoader = async (patient, ctx) => {
 *   const img = await ctx.openImage();
 *   const region = { level: 1, x: 0, y: 0, width: 1024, height: 1024 };
 *   return { ...(await img.readRegion(region, { signal: ctx.signal })), info: { region } };
 * };
 * ```
 */
export type BigChunkLoader<O = unknown> = (
  patient: PatientData,
  context: LoaderContext<O>,
) => BigChunkResult | Promise<BigChunkResult>;

/**
 * Names a big-chunk loader for the workers: either a built-in (from {@link randomRegion}) or
 * an export of a user module.
 *
 * @remarks
 * `module` is a file path or `file:` URL of an ES module (`.js`, or `.ts` when `tsx` is
 * installed); `export` names the function (default: the default export); `options` must be
 * structured-cloneable and reach the loader as `context.options`.
 *
 * @example
 * ```ts
 * const spec: BigChunkLoaderSpec = {
 *   module: new URL('./my-loader.js', import.meta.url),
 *   export: 'load',
 *   options: { level: 1 },
 * };
 * ```
 */
export type BigChunkLoaderSpec =
  | {
      /** The module file. */
      readonly module: string | URL;
      /** The export to call. @defaultValue `'default'` */
      readonly export?: string;
      /** Options handed to the loader as `context.options`. */
      readonly options?: unknown;
    }
  | {
      /** A built-in loader's name. */
      readonly builtin: 'randomRegion';
      /** Its options. */
      readonly options: unknown;
    };
