import { assertInteger, expected } from '../internal/validate.js';
import { nearest } from './internal/nearest.js';

/**
 * CPU sets for the three kinds of work, as lists of CPU indexes (Linux only; applied by the
 * loader, which reports clearly where it cannot).
 *
 * @example
 * ```ts
 * const cores: CoreAssignment = { main: [4], collectors: [0], loaders: [1, 2, 3] };
 * ```
 */
export interface CoreAssignment {
  /** CPUs of the main thread (PyDmed's `lightdl`). */
  readonly main?: readonly number[];
  /** CPUs of the big-chunk loaders (PyDmed's `bigchunkloaders`). */
  readonly loaders?: readonly number[];
  /** CPUs of the small-chunk collectors (PyDmed's `smallchunkloaders`). */
  readonly collectors?: readonly number[];
}

/**
 * lightdl options equivalent to a PyDmed `const_global_info`; spread them into the loader's
 * options. Only the keys present in the PyDmed dictionary are set, plus PyDmed's scheduling
 * behaviour (`policy: 'pydmed'`, `onSwap: 'drain'`, PyDmed's default `flag_grabqueue_onunsched`).
 *
 * @example
 * ```ts
 * const { options } = fromPyDmedConfig({ num_bigchunkloaders: 5, interval_resched: 10 });
 * options.rescheduleIntervalMs; // 10000
 * ```
 */
export interface PyDmedMappedOptions {
  /** From `num_bigchunkloaders`. */
  readonly numBigChunkLoaders?: number;
  /** From `maxlength_queue_smallchunk`. */
  readonly maxLengthQueueSmallChunk?: number;
  /** From `maxlength_queue_lightdl`. */
  readonly maxLengthQueueLightDL?: number;
  /** From `interval_resched`, converted from seconds to milliseconds. */
  readonly rescheduleIntervalMs?: number;
  /** From `core-assignment` (entries that were `None` are left out). */
  readonly coreAssignment?: CoreAssignment;
  /** PyDmed's scheduling rule. */
  readonly policy: 'pydmed';
  /** PyDmed hands a swapped-out patient's queued small chunks to the output. */
  readonly onSwap: 'drain';
}

/**
 * Options of {@link fromPyDmedConfig}.
 *
 * @example
 * ```ts
 * const opts: FromPyDmedConfigOptions = { passThrough: ['width_bigchunk', 'heigth_bigchunk'] };
 * ```
 */
export interface FromPyDmedConfigOptions {
  /**
   * Keys of your own that your loader or collector reads from `const_global_info` (PyDmed lets
   * user code put anything there). They are returned untouched in `passThrough` instead of being
   * rejected.
   *
   * @defaultValue `[]`
   */
  readonly passThrough?: readonly string[];
}

/**
 * What {@link fromPyDmedConfig} returns.
 *
 * @example
 * ```ts
 * const { options, warnings, passThrough }: PyDmedConversion = fromPyDmedConfig({ num_bigchunkloaders: 2 });
 * ```
 */
export interface PyDmedConversion {
  /** The equivalent lightdl options. */
  readonly options: PyDmedMappedOptions;
  /** One sentence per key that has no equivalent and was ignored. */
  readonly warnings: readonly string[];
  /** The `passThrough` keys that were present, with their values. */
  readonly passThrough: Readonly<Record<string, unknown>>;
}

const KNOWN_KEYS = [
  'num_bigchunkloaders',
  'maxlength_queue_smallchunk',
  'maxlength_queue_lightdl',
  'interval_resched',
  'core-assignment',
] as const;

/** Highest CPU index accepted in a CPU list. */
const MAX_CPU = 4095;

const CORE_KEYS = {
  lightdl: 'main',
  bigchunkloaders: 'loaders',
  smallchunkloaders: 'collectors',
} as const;

/**
 * Maps a PyDmed LightDL `const_global_info` dictionary (snake_case keys, seconds) to lightdl's
 * options (camelCase, milliseconds).
 *
 * @remarks
 * Keys: `num_bigchunkloaders` → `numBigChunkLoaders`; `maxlength_queue_smallchunk` →
 * `maxLengthQueueSmallChunk`; `maxlength_queue_lightdl` → `maxLengthQueueLightDL`;
 * `interval_resched` (seconds) → `rescheduleIntervalMs` (× 1000); `core-assignment`
 * (`{ lightdl, smallchunkloaders, bigchunkloaders }`, taskset CPU lists such as `"1,2,3"` or
 * `"0-3"`, or `None`) → `coreAssignment` (`{ main, collectors, loaders }` as CPU index arrays).
 * PyDmed-internal `pdmreserved_*` keys have no equivalent: they are ignored with a warning. Any
 * other key is rejected, unless listed in `options.passThrough`.
 *
 * Values are validated with the PyDmed key in the message, e.g.
 * ``Expected `num_bigchunkloaders` to be an integer ≥ 1, got `0` (number)``. The input is not
 * modified.
 *
 * @param constGlobalInfo - The PyDmed dictionary, e.g. parsed from JSON.
 * @param options - Keys of your own to pass through.
 * @returns The options, warnings for ignored keys, and the pass-through values.
 * @throws `TypeError` naming an unknown key and the nearest known one (``Unknown PyDmed
 * `const_global_info` key `num_bigchunkloader`; did you mean `num_bigchunkloaders`? …``), or a
 * `TypeError`/`RangeError` for a bad value.
 * @example
 * ```ts
 * const { options, warnings } = fromPyDmedConfig({
 *   num_bigchunkloaders: 5,
 *   maxlength_queue_smallchunk: 40,
 *   maxlength_queue_lightdl: 200,
 *   interval_resched: 10,
 *   'core-assignment': { lightdl: null, smallchunkloaders: null, bigchunkloaders: null },
 * });
 * // options: { policy: 'pydmed', onSwap: 'drain', numBigChunkLoaders: 5, maxLengthQueueSmallChunk: 40,
 * //            maxLengthQueueLightDL: 200, rescheduleIntervalMs: 10000 }
 * for (const w of warnings) console.warn(w);
 * ```
 */
export function fromPyDmedConfig(
  constGlobalInfo: Readonly<Record<string, unknown>>,
  options: FromPyDmedConfigOptions = {},
): PyDmedConversion {
  if (!isPlainObject(constGlobalInfo)) {
    throw new TypeError(expected('constGlobalInfo', 'a plain object', constGlobalInfo));
  }
  const passKeys = options.passThrough ?? [];
  if (!Array.isArray(passKeys) || !passKeys.every((k) => typeof k === 'string')) {
    throw new TypeError(expected('options.passThrough', 'an array of strings', passKeys));
  }
  const out: { -readonly [K in keyof PyDmedMappedOptions]: PyDmedMappedOptions[K] } = {
    policy: 'pydmed',
    onSwap: 'drain',
  };
  const warnings: string[] = [];
  const passThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(constGlobalInfo)) {
    switch (key) {
      case 'num_bigchunkloaders':
        out.numBigChunkLoaders = assertInteger(key, value, 1);
        break;
      case 'maxlength_queue_smallchunk':
        out.maxLengthQueueSmallChunk = assertInteger(key, value, 1);
        break;
      case 'maxlength_queue_lightdl':
        out.maxLengthQueueLightDL = assertInteger(key, value, 1);
        break;
      case 'interval_resched':
        out.rescheduleIntervalMs = seconds(key, value) * 1000;
        break;
      case 'core-assignment': {
        const cores = coreAssignment(value);
        if (cores !== undefined) out.coreAssignment = cores;
        break;
      }
      default:
        if (passKeys.includes(key)) passThrough[key] = value;
        else if (key.startsWith('pdmreserved_')) {
          warnings.push(
            `PyDmed-internal key \`${key}\` has no lightdl equivalent and was ignored; ` +
              'apply per-chunk transforms in the collector or the collate hook instead.',
          );
        } else {
          throw new TypeError(
            `Unknown PyDmed \`const_global_info\` key \`${key}\`; did you mean ` +
              `\`${nearest(key, KNOWN_KEYS) ?? KNOWN_KEYS[0]}\`? Keys your own loader or ` +
              'collector reads belong in `passThrough`.',
          );
        }
    }
  }
  return Object.freeze({
    options: Object.freeze(out),
    warnings: Object.freeze(warnings),
    passThrough: Object.freeze(passThrough),
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function seconds(name: string, value: unknown): number {
  const what = 'a number of seconds > 0, or Infinity';
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (Number.isNaN(value) || value <= 0) throw new RangeError(expected(name, what, value));
  return value;
}

function coreAssignment(value: unknown): CoreAssignment | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isPlainObject(value)) {
    throw new TypeError(
      expected(
        'core-assignment',
        'an object with `lightdl`, `smallchunkloaders`, `bigchunkloaders`',
        value,
      ),
    );
  }
  const out: { -readonly [K in keyof CoreAssignment]: CoreAssignment[K] } = {};
  const names = Object.keys(CORE_KEYS);
  for (const [key, cpus] of Object.entries(value)) {
    if (!(key in CORE_KEYS)) {
      throw new TypeError(
        `Unknown PyDmed \`core-assignment\` key \`${key}\`; did you mean \`${nearest(key, names) ?? names[0]}\`?`,
      );
    }
    const list = cpuList(`core-assignment.${key}`, cpus);
    if (list !== undefined) out[CORE_KEYS[key as keyof typeof CORE_KEYS]] = list;
  }
  return Object.keys(out).length === 0 ? undefined : Object.freeze(out);
}

/** Parses a taskset CPU list (`"0,2-4"`), a CPU index, or an array of indexes. */
function cpuList(name: string, value: unknown): readonly number[] | undefined {
  if (value === null || value === undefined) return undefined;
  const what = 'a CPU list such as "0-3,6", a CPU index, an array of CPU indexes, or null';
  const cpus = new Set<number>();
  const add = (n: number): void => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(expected(name, what, value));
    cpus.add(n);
  };
  if (typeof value === 'number') add(value);
  else if (Array.isArray(value)) {
    for (const n of value as unknown[]) {
      if (typeof n !== 'number') throw new TypeError(expected(name, what, value));
      add(n);
    }
  } else if (typeof value === 'string') {
    for (const part of value.split(',')) {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (m === null) throw new TypeError(expected(name, what, value));
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (hi < lo || hi > MAX_CPU) throw new RangeError(expected(name, what, value));
      for (let n = lo; n <= hi; n++) add(n);
    }
  } else throw new TypeError(expected(name, what, value));
  if (cpus.size === 0) throw new RangeError(expected(name, what, value));
  return Object.freeze([...cpus].sort((a, b) => a - b));
}
