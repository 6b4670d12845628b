/**
 * Synthetic slides for tests, cached across runs in `node_modules/.cache/lightdl-test/` and keyed
 * by their parameters plus a hash of the generator's source (so a changed generator never serves
 * a stale slide). Safe under concurrent vitest workers: each slide is written to a temporary name
 * and renamed into place.
 */
import { access, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeSyntheticSlide } from '../../src/readers/make-synthetic-slide.js';
import { slideGeneratorVersion } from '../../scripts/slide-generator-version.js';

/** What a test slide looks like. */
export interface SyntheticSlideSpec {
  readonly width: number;
  readonly height: number;
  /** @defaultValue 256 */
  readonly tileSize?: number;
  /** @defaultValue 80 */
  readonly quality?: number;
  /** @defaultValue 1 */
  readonly seed?: number;
}

/** The slide the reader tests use; generated up front by the global setup. */
export const STANDARD_SLIDE: SyntheticSlideSpec = Object.freeze({
  width: 2048,
  height: 1536,
  tileSize: 256,
  quality: 80,
  seed: 1,
});

/** Slides the global setup generates before any test runs. */
export const PREGENERATED_SLIDES: readonly SyntheticSlideSpec[] = [STANDARD_SLIDE];

export const CACHE_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/lightdl-test/', import.meta.url),
);

const pending = new Map<string, Promise<string>>();

/** The path of a synthetic slide with these parameters, generating it if missing. */
export function syntheticSlidePath(spec: SyntheticSlideSpec): Promise<string> {
  const tileSize = spec.tileSize ?? 256;
  const quality = spec.quality ?? 80;
  const seed = spec.seed ?? 1;
  const name = `slide-${spec.width}x${spec.height}-t${tileSize}-q${quality}-s${seed}-${slideGeneratorVersion()}.tif`;
  const path = `${CACHE_DIR}${name}`;
  let promise = pending.get(path);
  if (promise === undefined) {
    promise = access(path).then(
      () => path,
      async () => {
        await makeSyntheticSlide({
          path,
          width: spec.width,
          height: spec.height,
          tileSize,
          quality,
          seed,
        });
        return path;
      },
    );
    pending.set(path, promise);
    promise.catch(() => pending.delete(path));
  }
  return promise;
}

/** Removes cached slides made by another version of the generator (called by the global setup). */
export async function pruneStaleSlides(): Promise<void> {
  const current = `-${slideGeneratorVersion()}.tif`;
  const names = await readdir(CACHE_DIR).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => /^slide-.*-[0-9a-f]{12}\.tif$/.test(n) && !n.endsWith(current))
      .map((n) => rm(`${CACHE_DIR}${n}`, { force: true })),
  );
}
