/**
 * Vitest global setup: fixtures the suite shares are generated once, up front (and reused from
 * the cache on later runs).
 */
import { PREGENERATED_SLIDES, syntheticSlidePath } from './synthetic-slides.js';

export default async function setup(): Promise<void> {
  for (const spec of PREGENERATED_SLIDES) await syntheticSlidePath(spec);
}
