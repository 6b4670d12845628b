/**
 * A low-resolution RGB raster that looks like H&E-stained tissue: pink eosin regions with
 * purple hematoxylin patches and dark nuclei on a near-white background, about half of it
 * background. Built with the seeded {@link Rng} only; sharp upscales it to the slide's size.
 *
 * @internal
 */
import { deriveSeed } from '../../internal/derive-seed.js';
import { Rng } from '../../internal/rng.js';

/** An interleaved RGB raster. */
export interface RgbRaster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

const BACKGROUND = [243, 241, 245] as const;
const EOSIN_LIGHT = [236, 168, 204] as const;
const EOSIN_DEEP = [214, 120, 172] as const;
const HEMATOXYLIN = [168, 112, 186] as const;
const NUCLEUS = [78, 44, 128] as const;

/** Fraction of the raster that is tissue (the rest is background). */
const TISSUE_FRACTION = 0.5;
/** Fraction of tissue covered by nuclei. */
const NUCLEI_COVER = 0.14;
const GRAIN_TABLE_BITS = 16;

/**
 * Fractal value noise in [0, 1): `octaves` lattices of seeded random values, the first with
 * cells of `period` pixels, each next one twice as fine and half as strong, smoothly interpolated.
 */
function valueNoise(
  width: number,
  height: number,
  period: number,
  octaves: number,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(width * height);
  let amplitude = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const cell = Math.max(2, period / 2 ** o);
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const lattice = new Float32Array(gw * gh);
    for (let i = 0; i < lattice.length; i++) lattice[i] = rng.float();
    // Per-column lattice index and smoothstep weight, computed once per octave.
    const gx = new Int32Array(width);
    const wx = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const fx = x / cell;
      const ix = Math.floor(fx);
      const t = fx - ix;
      gx[x] = ix;
      wx[x] = t * t * (3 - 2 * t);
    }
    for (let y = 0; y < height; y++) {
      const fy = y / cell;
      const iy = Math.floor(fy);
      const ty = fy - iy;
      const wy = ty * ty * (3 - 2 * ty);
      const row0 = iy * gw;
      const row1 = row0 + gw;
      const base = y * width;
      for (let x = 0; x < width; x++) {
        const ix = gx[x]!;
        const w = wx[x]!;
        const a = lattice[row0 + ix]!;
        const b = lattice[row0 + ix + 1]!;
        const c = lattice[row1 + ix]!;
        const d = lattice[row1 + ix + 1]!;
        const top = a + (b - a) * w;
        const bottom = c + (d - c) * w;
        out[base + x]! += amplitude * (top + (bottom - top) * wy);
      }
    }
    total += amplitude;
    amplitude /= 2;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

/** The value below which `fraction` of `field` lies (from a 1024-bin histogram). */
function quantile(field: Float32Array, fraction: number): number {
  const bins = new Uint32Array(1024);
  for (let i = 0; i < field.length; i++) bins[Math.min(1023, Math.floor(field[i]! * 1024))]!++;
  const target = field.length * fraction;
  let seen = 0;
  for (let b = 0; b < 1024; b++) {
    seen += bins[b]!;
    if (seen >= target) return (b + 1) / 1024;
  }
  return 1;
}

/**
 * Builds the tissue raster, `width × height` RGB. Nuclei are a few raster pixels across, so the
 * raster's scale relative to the slide sets their size on the slide.
 */
export function tissueTexture(width: number, height: number, seed: number): RgbRaster {
  const rng = Rng.seeded(deriveSeed(seed, 'tissue-texture'));
  const n = width * height;
  const period = Math.max(8, Math.max(width, height) / 3);
  const tissueField = valueNoise(width, height, period, 5, rng);
  const stainField = valueNoise(width, height, Math.max(4, period / 5), 3, rng);
  const threshold = quantile(tissueField, 1 - TISSUE_FRACTION);
  const edge = 0.015;

  // Tissue weight in [0, 1] per pixel, with a soft boundary.
  const tissue = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (tissueField[i]! - threshold) / edge;
    tissue[i] = t <= -1 ? 0 : t >= 1 ? 1 : (t + 1) / 2;
  }

  const data = new Uint8Array(n * 3);
  const grain = new Int8Array(1 << GRAIN_TABLE_BITS);
  for (let i = 0; i < grain.length; i++) grain[i] = rng.int(-9, 9);
  const mask = grain.length - 1;
  for (let y = 0; y < height; y++) {
    const offset = rng.int(0, mask);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const w = tissue[i]!;
      const s = stainField[i]!;
      // Eosin shade from the stain field; hematoxylin-rich patches where it peaks.
      const h = s > 0.62 ? Math.min(1, (s - 0.62) * 5) : 0;
      const e = Math.min(1, Math.max(0, (s - 0.3) * 2.5));
      const g = grain[(x + offset) & mask]!;
      const k = i * 3;
      for (let c = 0; c < 3; c++) {
        const eosin = EOSIN_LIGHT[c]! + (EOSIN_DEEP[c]! - EOSIN_LIGHT[c]!) * e;
        const stain = eosin + (HEMATOXYLIN[c]! - eosin) * h + g;
        const bg = BACKGROUND[c]! + (g >> 2);
        data[k + c] = clampByte(bg + (stain - bg) * w);
      }
    }
  }
  drawNuclei(data, tissue, width, height, rng);
  return { data, width, height };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Stamps dark soft-edged discs at random positions inside the tissue. */
function drawNuclei(
  data: Uint8Array,
  tissue: Float32Array,
  width: number,
  height: number,
  rng: Rng,
): void {
  let tissueArea = 0;
  for (let i = 0; i < tissue.length; i++) tissueArea += tissue[i]!;
  const meanRadius = 2.4;
  const count = Math.round((tissueArea * NUCLEI_COVER) / (Math.PI * meanRadius * meanRadius));
  let placed = 0;
  for (let attempt = 0; placed < count && attempt < count * 4; attempt++) {
    const cx = rng.float() * width;
    const cy = rng.float() * height;
    const at = tissue[Math.floor(cy) * width + Math.floor(cx)]!;
    if (at < 0.5) continue;
    placed++;
    const radius = 1.4 + rng.float() * 2;
    const darkness = 0.7 + rng.float() * 0.3;
    const x0 = Math.max(0, Math.floor(cx - radius - 1));
    const x1 = Math.min(width - 1, Math.ceil(cx + radius + 1));
    const y0 = Math.max(0, Math.floor(cy - radius - 1));
    const y1 = Math.min(height - 1, Math.ceil(cy + radius + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const a = Math.min(1, Math.max(0, radius - d + 0.5)) * darkness;
        if (a <= 0) continue;
        const k = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const v = data[k + c]!;
          data[k + c] = clampByte(v + (NUCLEUS[c]! - v) * a);
        }
      }
    }
  }
}
