/**
 * Option validation with one message shape for every programmer error:
 * ``Expected `name` to be <what>, got `<value>` (<type>)``.
 *
 * @internal
 */

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'function';
  if (value !== null && typeof value === 'object') {
    try {
      const text = JSON.stringify(value);
      return text.length > 60 ? `${text.slice(0, 57)}...` : text;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The message for a value that is not what `name` must be. */
export function expected(name: string, what: string, value: unknown): string {
  return `Expected \`${name}\` to be ${what}, got \`${show(value)}\` (${typeOf(value)})`;
}

/** Throws a `TypeError` unless `value` is an integer ≥ `min` (and ≤ `max`). */
export function assertInteger(name: string, value: unknown, min: number, max = Infinity): number {
  const what = max === Infinity ? `an integer ≥ ${min}` : `an integer between ${min} and ${max}`;
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(expected(name, what, value));
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ `min` (and ≤ `max`). */
export function assertNumber(name: string, value: unknown, min: number, max = Infinity): number {
  const what = max === Infinity ? `a number ≥ ${min}` : `a number between ${min} and ${max}`;
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (!Number.isFinite(value) && !(max === Infinity && value === Infinity)) {
    throw new RangeError(expected(name, what, value));
  }
  if (value < min || value > max) throw new RangeError(expected(name, what, value));
  return value;
}

/** Throws a `TypeError` unless `value` is a boolean. */
export function assertBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(expected(name, 'a boolean', value));
  return value;
}

/** Throws a `TypeError` unless `value` is one of `choices`. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    const what = `one of ${choices.map((c) => `'${c}'`).join(', ')}`;
    throw new TypeError(expected(name, what, value));
  }
  return value as T;
}

/** Throws a `TypeError` unless `value` is a function. */
export function assertFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(expected(name, 'a function', value));
}

/** Throws a `TypeError` unless `value` is an `AbortSignal` or `undefined`. */
export function assertSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new TypeError(expected(name, 'an AbortSignal', value));
  return value;
}
