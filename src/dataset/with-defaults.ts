/**
 * Merging options over frozen defaults, in one place: a field left `undefined` (explicitly or
 * not) takes its default.
 *
 * @internal
 * @module
 */
import { expected } from '../internal/validate.js';

/**
 * `{ ...defaults, ...options }`, except that `undefined` option values do not override.
 *
 * @throws `TypeError` if `options` is neither `undefined` nor an object.
 */
export function withDefaults<D extends object, O extends object>(
  defaults: D,
  options: O | undefined,
): D & O {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(expected('options', 'an object', options));
  }
  const merged: { [key: string]: unknown } = { ...(defaults as { [key: string]: unknown }) };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as D & O;
}
