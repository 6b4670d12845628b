/**
 * Seed derivation on its own, without a generator: the job executor derives every worker's seed
 * with it and so does not load pure-rand (in the main thread or in its workers).
 *
 * @internal
 */

/**
 * A 32-bit seed derived from a base seed and any number of integer or string parts, e.g.
 * `deriveSeed(seed, workerId, generation)`. Stable across runs and platforms (murmur3 mixing).
 */
export function deriveSeed(seed: number, ...parts: readonly (number | string)[]): number {
  let h = Math.imul(seed | 0, 0x9e3779b1) ^ 0x85ebca6b;
  const mix = (k: number): void => {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  };
  for (const part of parts) {
    if (typeof part === 'number') {
      mix(part | 0);
      mix(Math.floor(part / 4294967296) | 0);
    } else {
      for (let i = 0; i < part.length; i++) mix(part.charCodeAt(i));
      mix(part.length);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
