import { assertInteger, assertNumber, expected } from '../internal/validate.js';
import { cropPixels } from './crop-pixels.js';
import { FINISHED } from './finished.js';
import type { SmallChunkCollector, SmallChunkCollectorSpec } from './small-chunk-collector.js';

/** Options of the built-in {@link randomPatches} collector. */
export interface RandomPatchesOptions {
  /** Patch width in pixels (≤ the big chunk's width). */
  readonly width: number;
  /** Patch height in pixels (≤ the big chunk's height). */
  readonly height: number;
  /**
   * Patches cut from each big chunk before the next big chunk is loaded; `Infinity` keeps
   * cutting from the same big chunk until the patient is swapped out (PyDmed's behaviour).
   * @defaultValue `64`
   */
  readonly perBigChunk?: number;
  /**
   * Minimum fraction (0–1) of foreground (non-background) pixels a patch must have; background
   * is a pixel whose channels are all ≥ `backgroundLevel`. 0 accepts every patch.
   * @defaultValue `0`
   */
  readonly minForeground?: number;
  /** Channel value at or above which a pixel counts as background (0–255). @defaultValue `220` */
  readonly backgroundLevel?: number;
  /**
   * Positions tried per call when `minForeground` rejects patches; if none passes, the call
   * produces nothing (it is skipped).
   * @defaultValue `8`
   */
  readonly maxTries?: number;
}

const DEFAULTS = Object.freeze({
  perBigChunk: 64,
  minForeground: 0,
  backgroundLevel: 220,
  maxTries: 8,
});

/**
 * A built-in small-chunk collector that cuts patches at uniformly random positions of the big
 * chunk, optionally rejecting mostly-background patches.
 *
 * @remarks
 * Positions come from the call's seeded random source (reproducible). Each patch reports its
 * absolute position at the big chunk's level, so `(patient, level, x, y)` locates it in the
 * slide.
 *
 * @param options - Patch size, count per big chunk, foreground filter.
 * @returns A spec to pass as `smallChunkCollector`.
 * @throws TypeError / RangeError for invalid options.
 * @example
 * ```ts
 * const collector = randomPatches({ width: 224, height: 224, perBigChunk: 64, minForeground: 0.5 });
 * ```
 */
export function randomPatches(options: RandomPatchesOptions): SmallChunkCollectorSpec {
  return { builtin: 'randomPatches', options: validateRandomPatches(options) };
}

/** @internal */
export function validateRandomPatches(
  options: RandomPatchesOptions,
): Required<RandomPatchesOptions> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const o = { ...DEFAULTS, ...options };
  assertInteger('width', o.width, 1);
  assertInteger('height', o.height, 1);
  if (o.perBigChunk !== Infinity) assertInteger('perBigChunk', o.perBigChunk, 1);
  assertNumber('minForeground', o.minForeground, 0, 1);
  assertInteger('backgroundLevel', o.backgroundLevel, 0, 255);
  assertInteger('maxTries', o.maxTries, 1);
  return o;
}

/**
 * Whether at least `minFraction` of the pixels are foreground (some colour channel below
 * `level`). Counts every pixel, stopping as soon as the answer is known.
 */
function hasForeground(
  data: Uint8Array,
  channels: number,
  level: number,
  minFraction: number,
): boolean {
  const pixels = data.length / channels;
  // The fewest pixels k with k / pixels ≥ minFraction (the product may round up past an integer).
  let needed = Math.ceil(minFraction * pixels);
  if ((needed - 1) / pixels >= minFraction) needed--;
  const colours = Math.min(channels, 3);
  let fg = 0;
  for (let p = 0; p < pixels; p++) {
    if (fg >= needed) return true;
    if (fg + (pixels - p) < needed) return false;
    const i = p * channels;
    for (let c = 0; c < colours; c++) {
      if ((data[i + c] as number) < level) {
        fg++;
        break;
      }
    }
  }
  return fg >= needed;
}

/** Options validated once per options object (a job's options are one object for all its calls). */
const validatedOptions = new WeakMap<object, Required<RandomPatchesOptions>>();

function validated(options: RandomPatchesOptions): Required<RandomPatchesOptions> {
  if (options === null || typeof options !== 'object') return validateRandomPatches(options);
  let o = validatedOptions.get(options);
  if (o === undefined) validatedOptions.set(options, (o = validateRandomPatches(options)));
  return o;
}

/** The worker-side implementation of {@link randomPatches}. @internal */
export const randomPatchesCollector: SmallChunkCollector<RandomPatchesOptions> = (
  callCount,
  big,
  ctx,
) => {
  const o = validated(ctx.options);
  if (callCount >= o.perBigChunk) return FINISHED;
  // The last patch of this big chunk: say so now rather than in one more call.
  if (callCount === o.perBigChunk - 1) ctx.finish();
  if (o.width > big.width || o.height > big.height) {
    throw new RangeError(
      `Patch ${o.width}×${o.height} does not fit in big chunk ${big.width}×${big.height} of patient ${JSON.stringify(big.info.patient)}`,
    );
  }
  const originX = big.info.region?.x ?? 0;
  const originY = big.info.region?.y ?? 0;
  // One buffer per call, reused by rejected attempts.
  const into = ctx.allocate(o.width * o.height * big.channels);
  for (let attempt = 0; attempt < o.maxTries; attempt++) {
    const px = ctx.random.int(0, big.width - o.width);
    const py = ctx.random.int(0, big.height - o.height);
    const data = cropPixels(big.data, big.width, big.channels, px, py, o.width, o.height, into);
    if (
      o.minForeground > 0 &&
      !hasForeground(data, big.channels, o.backgroundLevel, o.minForeground)
    ) {
      continue;
    }
    return { data, width: o.width, height: o.height, info: { x: originX + px, y: originY + py } };
  }
  return null;
};
