import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deriveSeed } from '../internal/derive-seed.js';
import { Rng } from '../internal/rng.js';
import { assertInteger, assertSignal, expected } from '../internal/validate.js';
import { abortable } from './internal/abortable.js';
import { tissueTexture } from './internal/tissue-texture.js';

/**
 * Options of {@link makeSyntheticSlide}.
 *
 * @example
 * ```ts
 * import type { MakeSyntheticSlideOptions } from 'lightdl';
 *
 * const options: MakeSyntheticSlideOptions = { path: 'slide.tif', width: 16384, height: 16384, seed: 1 };
 * ```
 */
export interface MakeSyntheticSlideOptions {
  /** Where to write the TIFF; parent folders are created. An existing file is replaced. */
  readonly path: string;
  /**
   * Width of level 0 in pixels, 1 to 65,536 (and `width × height` at most 2^31).
   * Generation holds about one byte per level-0 pixel in memory (plus libvips buffers).
   */
  readonly width: number;
  /** Height of level 0 in pixels, 1 to 65,536. */
  readonly height: number;
  /**
   * Tile width and height in pixels, a multiple of 16 from 16 to 4096.
   *
   * @defaultValue `256`
   */
  readonly tileSize?: number;
  /**
   * JPEG quality, 1 to 100.
   *
   * @defaultValue `80`
   */
  readonly quality?: number;
  /**
   * Seed of the texture: the same seed and options give a byte-identical file (with the same
   * sharp/libvips version).
   *
   * @defaultValue `0`
   */
  readonly seed?: number;
  /** Aborts the generation: it rejects with `signal.reason` and leaves no file behind. */
  readonly signal?: AbortSignal;
}

/** What {@link makeSyntheticSlide} wrote. */
export interface SyntheticSlide {
  /** The file written. */
  readonly path: string;
  /** Width of level 0 in pixels. */
  readonly width: number;
  /** Height of level 0 in pixels. */
  readonly height: number;
  /** Tile size in pixels. */
  readonly tileSize: number;
  /** File size in bytes. */
  readonly bytes: number;
}

const DEFAULTS = Object.freeze({ tileSize: 256, quality: 80, seed: 0 });
/** Slide pixels per texture pixel along each axis. */
const TEXTURE_SCALE = 4;
/** Size of the full-resolution grain tile; odd sizes so its repeats never align with tiles. */
const GRAIN_WIDTH = 509;
const GRAIN_HEIGHT = 503;
/** Grain amplitude (grey levels, before blending), tuned for a JPEG ratio of about 12:1 at quality 80. */
const GRAIN_AMPLITUDE = 34;

function fill(options: MakeSyntheticSlideOptions): Required<
  Omit<MakeSyntheticSlideOptions, 'signal'>
> & {
  readonly signal: AbortSignal | undefined;
} {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const merged = { ...DEFAULTS, ...options };
  if (typeof merged.path !== 'string' || merged.path === '') {
    throw new TypeError(expected('path', 'a non-empty string', merged.path));
  }
  const width = assertInteger('width', merged.width, 1, 65536);
  const height = assertInteger('height', merged.height, 1, 65536);
  if (width * height > 2 ** 31) {
    throw new RangeError(expected('width × height', 'at most 2147483648', width * height));
  }
  const tileSize = assertInteger('tileSize', merged.tileSize ?? DEFAULTS.tileSize, 16, 4096);
  if (tileSize % 16 !== 0) {
    throw new RangeError(expected('tileSize', 'a multiple of 16 from 16 to 4096', tileSize));
  }
  return {
    path: merged.path,
    width,
    height,
    tileSize,
    quality: assertInteger('quality', merged.quality ?? DEFAULTS.quality, 1, 100),
    seed: assertInteger('seed', merged.seed ?? DEFAULTS.seed, -(2 ** 31), 2 ** 32 - 1),
    signal: assertSignal('signal', merged.signal),
  };
}

/** A seeded grey grain tile centred on 128 (overlay-neutral). */
function grainTile(width: number, height: number, seed: number): Uint8Array {
  const rng = Rng.seeded(deriveSeed(seed, 'grain'));
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) {
    // A sum of two uniforms: a triangular distribution, cheap and close enough to Gaussian.
    const v = 128 + (rng.float() + rng.float() - 1) * GRAIN_AMPLITUDE * 2.45;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return out;
}

/**
 * Writes a synthetic whole-slide image: a pyramidal, tiled, JPEG-compressed TIFF whose texture
 * looks and compresses like H&E-stained tissue, deterministic by seed.
 *
 * @remarks
 * The texture (pink eosin regions with purple hematoxylin patches and dark nuclei on a
 * near-white background, about half of the slide background) is drawn with the seeded RNG on a
 * raster a quarter of the slide's size; sharp upscales it, overlays a seeded full-resolution
 * grain and writes the pyramid (levels halving down to one tile, as TIFF pages). At the default
 * quality, level 0 compresses about 12:1 (within the 8:1 to 20:1 of real slides), so decoding it
 * costs what a real slide costs. A 16384² slide takes about 20 CPU-seconds and peaks near
 * 400 MB of memory.
 *
 * The file is written under a temporary name in the same folder and renamed into place, so
 * concurrent writers of the same path never expose a partial file. The texture is built
 * synchronously on the calling thread; the encoding runs on libuv's thread pool and cannot be
 * interrupted: an abort rejects at once and removes the partial file once the encoder stops.
 *
 * @param options - Path, size, tiling, quality, seed, signal.
 * @returns What was written.
 * @throws TypeError / RangeError for invalid options.
 * @throws Whatever sharp or the file system throws while writing (no file is left behind).
 * @example
 * ```ts
 * import { makeSyntheticSlide, openImage } from 'lightdl';
 *
 * await makeSyntheticSlide({ path: 'demo/slide-1.tif', width: 8192, height: 8192, seed: 1 });
 * const img = await openImage('demo/slide-1.tif');
 * console.log(img.levels.length, img.tileWidth); // 6 256
 * await img.close();
 * ```
 */
export async function makeSyntheticSlide(
  options: MakeSyntheticSlideOptions,
): Promise<SyntheticSlide> {
  const o = fill(options);
  o.signal?.throwIfAborted();
  const { default: sharp } = await import('sharp');
  const texture = tissueTexture(
    Math.ceil(o.width / TEXTURE_SCALE),
    Math.ceil(o.height / TEXTURE_SCALE),
    o.seed,
  );
  o.signal?.throwIfAborted();
  const gw = Math.min(GRAIN_WIDTH, o.width);
  const gh = Math.min(GRAIN_HEIGHT, o.height);
  const grain = grainTile(gw, gh, o.seed);
  await mkdir(dirname(o.path), { recursive: true });
  const temporary = `${o.path}.${randomUUID()}.tmp`;
  const write = sharp(texture.data, {
    raw: { width: texture.width, height: texture.height, channels: 3 },
  })
    .resize(o.width, o.height, { kernel: 'cubic', fit: 'fill' })
    .composite([
      {
        input: Buffer.from(grain.buffer, grain.byteOffset, grain.byteLength),
        raw: { width: gw, height: gh, channels: 3 },
        tile: true,
        blend: 'overlay',
      },
    ])
    .tiff({
      tile: true,
      tileWidth: o.tileSize,
      tileHeight: o.tileSize,
      pyramid: true,
      compression: 'jpeg',
      quality: o.quality,
    })
    .toFile(temporary);
  try {
    await abortable(write, o.signal);
    await rename(temporary, o.path);
  } catch (err) {
    // The encoder may still be writing: remove its output once it stops.
    const cleanup = (): Promise<void> => rm(temporary, { force: true }).catch(() => undefined);
    void write.then(cleanup, cleanup);
    throw err;
  }
  const { size } = await stat(o.path);
  return { path: o.path, width: o.width, height: o.height, tileSize: o.tileSize, bytes: size };
}
