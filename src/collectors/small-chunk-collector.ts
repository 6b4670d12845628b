import type { BigChunk } from '../loaders/index.js';
import type { CollectorContext } from './collector-context.js';
import type { FINISHED } from './finished.js';

/** What a collector returns for one call: a small chunk, `null` to skip, or {@link FINISHED}. */
export type SmallChunkResult =
  | {
      /** Pixels, `height × width × channels` bytes, row-major. */
      readonly data: Uint8Array;
      /** Width in pixels. */
      readonly width: number;
      /** Height in pixels. */
      readonly height: number;
      /** Channels per pixel. @defaultValue the big chunk's channels */
      readonly channels?: number;
      /** Absolute position and level; defaults: the big chunk's region origin and level. */
      readonly info?: {
        /** Left edge in level pixels (absolute). */
        readonly x?: number;
        /** Top edge in level pixels (absolute). */
        readonly y?: number;
        /** Level. */
        readonly level?: number;
        /** Anything else (structured-cloneable). */
        readonly extra?: unknown;
      };
    }
  | null
  | typeof FINISHED;

/**
 * A small-chunk collector: called repeatedly with a growing `callCount` (0, 1, 2, …) on one big
 * chunk, it cuts one small chunk per call. Runs on the worker pool, in a module file named by a
 * {@link SmallChunkCollectorSpec}.
 *
 * @remarks
 * Return `null` to skip a call (nothing is produced, the next call comes), or {@link FINISHED}
 * when done with this big chunk (the patient's next big chunk is loaded). Calls stop when the
 * patient is swapped out.
 *
 * @typeParam O - Options type passed through the spec.
 * @example
 * ```ts
 * export const centre: SmallChunkCollector = (callCount, big) => {
 *   if (callCount > 0) return FINISHED;
 *   return { data: big.data, width: big.width, height: big.height };
 * };
 * ```
 */
export type SmallChunkCollector<O = unknown> = (
  callCount: number,
  bigChunk: BigChunk,
  context: CollectorContext<O>,
) => SmallChunkResult | Promise<SmallChunkResult>;

/**
 * Names a small-chunk collector for the workers: a built-in (from {@link randomPatches}) or an
 * export of a user module.
 *
 * @example
 * ```ts
 * const spec: SmallChunkCollectorSpec = { module: new URL('./my-collector.js', import.meta.url), export: 'collect' };
 * ```
 */
export type SmallChunkCollectorSpec =
  | {
      /** The module file (path or `file:` URL). */
      readonly module: string | URL;
      /** The export to call. @defaultValue `'default'` */
      readonly export?: string;
      /** Options handed to the collector as `context.options`. */
      readonly options?: unknown;
    }
  | {
      /** A built-in collector's name. */
      readonly builtin: 'randomPatches';
      /** Its options. */
      readonly options: unknown;
    };
