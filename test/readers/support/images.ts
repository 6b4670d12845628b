/**
 * Shared test support for the reader tests: fixture paths, reference decodes with sharp, crops.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { RegionRef } from '../../../src/errors.js';
import sharp, { type SharpOptions } from 'sharp';

/** Property-test run count: `FC_NUM_RUNS`, else `fallback`. */
export function fcRuns(fallback = 100): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** Absolute path of a file of `test/fixtures/images/`. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/images/${name}`, import.meta.url));
}

/** A decoded raster. */
export interface Raster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** Full decode of one page/SubIFD with sharp, to 8-bit sRGB (RGBA if `alpha`). */
export async function referenceDecode(
  path: string,
  input: SharpOptions,
  alpha = false,
): Promise<Raster> {
  let p = sharp(path, { limitInputPixels: false, ...input });
  p = alpha ? p.ensureAlpha() : p.removeAlpha();
  const { data, info } = await p.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data),
    width: info.width,
    height: info.height,
    channels: info.channels,
  };
}

/** The rectangle of a raster, as a new raster. */
export function crop(
  r: Raster,
  rect: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * r.channels);
  const row = rect.width * r.channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * r.width + rect.x) * r.channels;
    out.set(r.data.subarray(from, from + row), y * row);
  }
  return out;
}

/** Index of the first differing byte, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** A region arbitrary: a level, then a rectangle inside it of at most `maxSide` per side. */
export function regionInside(
  levels: readonly { readonly width: number; readonly height: number }[],
  maxSide: number,
): fc.Arbitrary<RegionRef> {
  return fc.integer({ min: 0, max: levels.length - 1 }).chain((level) => {
    const { width, height } = levels[level]!;
    return fc
      .record({
        x: fc.integer({ min: 0, max: width - 1 }),
        y: fc.integer({ min: 0, max: height - 1 }),
      })
      .chain(({ x, y }) =>
        fc.record({
          level: fc.constant(level),
          x: fc.constant(x),
          y: fc.constant(y),
          width: fc.integer({ min: 1, max: Math.min(maxSide, width - x) }),
          height: fc.integer({ min: 1, max: Math.min(maxSide, height - y) }),
        }),
      );
  });
}
