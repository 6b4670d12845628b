/**
 * Synthetic slides for the benchmarks, cached in `node_modules/.cache/lightdl-bench/` and keyed by
 * their parameters, seed and a hash of the generator's source (a changed generator never serves a
 * stale slide). The first run generates them (about 20 s per 16384² slide on one core); later runs
 * reuse them.
 */
import { access, readdir, rm } from 'node:fs/promises';
import { repositoryRoot } from '../scripts/repository-root.js';
import { slideGeneratorVersion } from '../scripts/slide-generator-version.js';
import { makeSyntheticSlide } from '../src/readers/make-synthetic-slide.js';

/** Parameters of the benchmark slides besides their count and size. */
export interface BenchSlideOptions {
  /** Tile size in pixels. @defaultValue 256 */
  readonly tileSize?: number;
  /** JPEG quality. @defaultValue 80 */
  readonly quality?: number;
  /** Seed of slide 0; slide i uses `seed + i`. @defaultValue 1 */
  readonly seed?: number;
  /** Called when a slide had to be generated, with the time it took (ms). */
  readonly onGenerated?: (path: string, ms: number) => void;
}

/** Where benchmark slides are cached (compiled copies of the benchmark share it). */
export const BENCH_CACHE_DIR = `${repositoryRoot()}node_modules/.cache/lightdl-bench/`;

/** Removes cached slides made by another version of the generator (75 MB each at 16384²). */
async function pruneStale(version: string): Promise<void> {
  const names = await readdir(BENCH_CACHE_DIR).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => /^slide-.*-[0-9a-f]{12}\.tif$/.test(n) && !n.endsWith(`-${version}.tif`))
      .map((n) => rm(`${BENCH_CACHE_DIR}${n}`, { force: true })),
  );
}

/**
 * Paths of `count` square synthetic slides of `size`² (256² JPEG tiles by default), generating
 * the missing ones, two at a time (the texture on the main thread overlaps the other slide's
 * encoding on libuv's pool).
 */
export async function ensureBenchSlides(
  count: number,
  size = 16384,
  options: BenchSlideOptions = {},
): Promise<string[]> {
  const tileSize = options.tileSize ?? 256;
  const quality = options.quality ?? 80;
  const seed = options.seed ?? 1;
  const version = slideGeneratorVersion();
  const paths = Array.from(
    { length: count },
    (_, i) =>
      `${BENCH_CACHE_DIR}slide-${size}-t${tileSize}-q${quality}-s${seed + i}-${version}.tif`,
  );
  await pruneStale(version);
  const missing: number[] = [];
  for (const [i, path] of paths.entries()) {
    await access(path).catch(() => missing.push(i));
  }
  const work = async (): Promise<void> => {
    for (let i = missing.shift(); i !== undefined; i = missing.shift()) {
      const t0 = performance.now();
      await makeSyntheticSlide({
        path: paths[i]!,
        width: size,
        height: size,
        tileSize,
        quality,
        seed: seed + i,
      });
      options.onGenerated?.(paths[i]!, performance.now() - t0);
    }
  };
  await Promise.all([work(), work()]);
  return paths;
}
