/**
 * Applies an options object over its frozen defaults in one place. Keys the caller left
 * `undefined` keep their default (so `{ signal: undefined }` from JavaScript is harmless).
 *
 * @internal
 */
import { expected } from '../internal/validate.js';

/** `defaults` with every key of `options` that is not `undefined` laid over it. */
export function mergeOptions<F extends object>(
  defaults: F,
  options: { readonly [K in keyof F]?: F[K] } | undefined,
): F {
  const merged = { ...defaults } as Record<string, unknown>;
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object') throw new TypeError(expected('options', 'an object', options));
    for (const [key, value] of Object.entries(options))
      if (value !== undefined) merged[key] = value;
  }
  return merged as F;
}
