import { assertInteger, expected } from '../internal/validate.js';
import type { BigChunkLoader, BigChunkLoaderSpec } from './big-chunk-loader.js';

/** Options of the built-in {@link randomRegion} loader. */
export interface RandomRegionOptions {
  /** Pyramid level to read (0 = full resolution). @defaultValue `0` */
  readonly level?: number;
  /** Region width in pixels at that level (clamped to the level's width). */
  readonly width: number;
  /** Region height in pixels at that level (clamped to the level's height). */
  readonly height: number;
  /** Which record of the patient to read. @defaultValue the patient's first record */
  readonly record?: string;
  /** Read RGBA instead of RGB. @defaultValue `false` */
  readonly alpha?: boolean;
}

/**
 * A built-in big-chunk loader that reads a uniformly random region of one record at one level.
 *
 * @remarks
 * The position is drawn from the context's seeded random source, so a chunk read again (after
 * a worker restart, say) is the same region. A region larger than the level is clamped to it.
 *
 * @param options - Level, size and record.
 * @returns A spec to pass as `bigChunkLoader`.
 * @throws TypeError / RangeError for invalid options.
 * @example
 * ```ts
 * const loader = randomRegion({ level: 0, width: 2048, height: 2048 });
 * ```
 */
export function randomRegion(options: RandomRegionOptions): BigChunkLoaderSpec {
  return { builtin: 'randomRegion', options: validateRandomRegion(options) };
}

/** @internal */
export function validateRandomRegion(
  options: RandomRegionOptions,
): Required<Omit<RandomRegionOptions, 'record'>> & Pick<RandomRegionOptions, 'record'> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const level = assertInteger('level', options.level ?? 0, 0);
  const width = assertInteger('width', options.width, 1);
  const height = assertInteger('height', options.height, 1);
  if (options.record !== undefined && typeof options.record !== 'string') {
    throw new TypeError(expected('record', 'a string', options.record));
  }
  const alpha = options.alpha ?? false;
  if (typeof alpha !== 'boolean') throw new TypeError(expected('alpha', 'a boolean', alpha));
  return options.record === undefined
    ? { level, width, height, alpha }
    : { level, width, height, alpha, record: options.record };
}

/** The worker-side implementation of {@link randomRegion}. @internal */
export const randomRegionLoader: BigChunkLoader<RandomRegionOptions> = async (patient, ctx) => {
  const o = validateRandomRegion(ctx.options);
  const img = await ctx.openImage(o.record);
  const lvl = img.levels[o.level];
  if (lvl === undefined) {
    throw new RangeError(
      `Record of patient ${JSON.stringify(patient.id)} has ${img.levels.length} level(s); level ${o.level} does not exist`,
    );
  }
  const width = Math.min(o.width, lvl.width);
  const height = Math.min(o.height, lvl.height);
  const x = ctx.random.int(0, lvl.width - width);
  const y = ctx.random.int(0, lvl.height - height);
  const region = { level: o.level, x, y, width, height };
  const recordName = o.record ?? patient.records[0]?.name;
  // Shared memory (reused from a finished big chunk when there is one): the collectors of every
  // worker cut from it without another copy.
  const into = ctx.allocate(width * height * (o.alpha ? 4 : 3));
  const px = await img.readRegion(region, { signal: ctx.signal, alpha: o.alpha, into });
  return {
    data: px.data,
    width: px.width,
    height: px.height,
    channels: px.channels,
    info: {
      ...(recordName === undefined ? {} : { record: recordName }),
      region,
      downsample: lvl.downsample,
    },
  };
};
