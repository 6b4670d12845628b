/**
 * Vitest global setup: fixtures the suite shares are generated once, up front (and reused from
 * the cache on later runs).
 */
import { PREGENERATED_SLIDES, pruneStaleSlides, syntheticSlidePath } from './synthetic-slides.js';

export default async function setup(): Promise<void> {
  await pruneStaleSlides();
  for (const spec of PREGENERATED_SLIDES) await syntheticSlidePath(spec);
}
