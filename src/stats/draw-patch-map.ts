import sharp from 'sharp';
import { assertInteger, expected } from '../internal/validate.js';
import type { ServedSample } from './served-log.js';

/** Options of {@link drawPatchMap}. */
export interface DrawPatchMapOptions {
  /** Longest side of the output picture in pixels. @defaultValue `1024` */
  readonly maxSize?: number;
  /** Outline colour of the patch boxes (CSS colour). @defaultValue `'#00c853'` */
  readonly color?: string;
  /** Aborts reading the slide. */
  readonly signal?: AbortSignal;
}

/**
 * Draws where patches were taken: each sample's box outlined on a thumbnail of the slide,
 * written as PNG.
 *
 * @remarks
 * The thumbnail comes from the slide's smallest pyramid level that is still at least
 * `maxSize` wide (or the full image), so it never decodes the whole slide at full resolution.
 * Sample coordinates are scaled by their `downsample` (level → level 0) and then to the
 * thumbnail.
 *
 * @param slidePath - The slide the samples were cut from.
 * @param samples - Samples of that slide (e.g. `log.forPatient(id)`).
 * @param outPath - Where to write the PNG.
 * @param options - Size, colour, signal.
 * @returns The output size.
 * @throws TypeError / RangeError for bad options; sharp's error when the slide cannot be read.
 * @example
 * ```ts
 * await drawPatchMap(slidePath, dl.servedLog.forPatient('p1'), 'p1-patches.png');
 * ```
 */
export async function drawPatchMap(
  slidePath: string,
  samples: readonly ServedSample[],
  outPath: string,
  options: DrawPatchMapOptions = {},
): Promise<{
  /** Width of the picture in pixels. */
  width: number;
  /** Height of the picture in pixels. */
  height: number;
}> {
  options.signal?.throwIfAborted();
  const maxSize = assertInteger('maxSize', options.maxSize ?? 1024, 16);
  const color = options.color ?? '#00c853';
  if (typeof color !== 'string' || !/^[#a-zA-Z0-9(),. %]+$/.test(color)) {
    throw new TypeError(expected('color', 'a CSS colour', color));
  }
  const meta = await sharp(slidePath, { limitInputPixels: false }).metadata();
  const fullW = meta.width;
  const fullH = meta.height;
  // Pick the smallest page still ≥ maxSize on its long side.
  let page = 0;
  const levels = meta.levels ?? [];
  const pages = meta.pages ?? 1;
  if (levels.length === 0 && pages > 1) {
    // Pyramid as pages: probe page sizes.
    for (let p = 1; p < pages; p++) {
      const m = await sharp(slidePath, { page: p, limitInputPixels: false }).metadata();
      if (Math.max(m.width, m.height) < maxSize) break;
      if (m.width * fullH !== 0 && Math.abs(m.width / fullW - m.height / fullH) < 0.02) page = p;
    }
  }
  options.signal?.throwIfAborted();
  const scale = maxSize / Math.max(fullW, fullH);
  const outW = Math.max(1, Math.round(fullW * scale));
  const outH = Math.max(1, Math.round(fullH * scale));
  const base = await sharp(slidePath, { page, limitInputPixels: false })
    .resize(outW, outH, { fit: 'fill' })
    .removeAlpha()
    .toBuffer();
  const rects = samples
    .map((s) => {
      const d = s.downsample ?? 1;
      const x = s.x * d * scale;
      const y = s.y * d * scale;
      const w = Math.max(1, s.width * d * scale);
      const h = Math.max(1, s.height * d * scale);
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}"/>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${outW}" height="${outH}"><g fill="none" stroke="${color}" stroke-width="1">${rects}</g></svg>`;
  options.signal?.throwIfAborted();
  await sharp(base)
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toFile(outPath);
  return { width: outW, height: outH };
}
