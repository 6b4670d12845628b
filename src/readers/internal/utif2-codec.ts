/**
 * Chunk (tile or strip) decoding with utif2's codecs, and conversion of decoded samples to 8-bit
 * RGB(A).
 *
 * @remarks
 * utif2's public `decodeImage` decodes a whole directory at once (and prints a line to stdout
 * for every tiled image), so the reader drives utif2's per-chunk decoder, `decode._decompress`,
 * itself: one call per tile or strip the region needs, on a standalone copy of that chunk's
 * bytes. LZW is decoded by a bounded decoder of ours (utif2's can loop forever on corrupt data).
 * The pixel layouts accepted here are the ones the conversion below implements.
 *
 * @internal
 */
import UTIF from 'utif2';
import { ImageError, type ErrorContext } from '../../errors.js';
import {
  JP2K_ADVICE,
  UTIF2_COMPRESSIONS,
  compressionName,
  describeCompression,
} from './compression.js';
import { decodeLzw } from './lzw.js';
import type { Rect } from './region-reads.js';
import type { TiffIfd } from './tiff-directory.js';

type Decompress = (
  img: Record<string, unknown>,
  ifds: unknown[],
  data: Uint8Array,
  off: number,
  len: number,
  cmpr: number,
  tgt: Uint8Array,
  toff: number,
  fo: number,
  w: number,
  h: number,
) => void;

const decompress = (UTIF as unknown as { decode: { _decompress?: Decompress } }).decode._decompress;

/** How a directory's decoded chunks are laid out, and how to turn them into RGB. */
export interface ChunkLayout {
  readonly compression: number;
  /** Photometric interpretation of the decoded samples (JPEG decodes to RGB: 2). */
  readonly photometric: 0 | 1 | 2 | 3;
  /** Bits per decoded sample: 1, 2, 4, 8 or 16. */
  readonly bits: number;
  /** Samples per decoded pixel. */
  readonly samples: number;
  /** Whether the last sample is alpha. */
  readonly alpha: boolean;
  readonly colorMap: readonly number[] | undefined;
  /** The tags utif2's decoder reads, in its `tNNN` form. */
  readonly tags: Readonly<Record<string, unknown>>;
}

function unsupported(path: string, message: string): ImageError {
  return new ImageError('ERR_UNSUPPORTED_FORMAT', `Unsupported by the utif2 reader: ${message}`, {
    path,
  });
}

/** The layout of `ifd`; rejects what utif2 cannot decode faithfully. */
export function chunkLayout(ifd: TiffIfd, littleEndian: boolean, path: string): ChunkLayout {
  if (decompress === undefined) {
    throw unsupported(path, 'the installed utif2 has no per-chunk decoder (utif2 ≥ 4.1 needed)');
  }
  const code = ifd.compression;
  if (!UTIF2_COMPRESSIONS.has(code)) {
    const advice =
      compressionName(code) === 'jp2k'
        ? ` ${JP2K_ADVICE}`
        : ' utif2 has no decoder for it (it would decode to black); try the sharp reader.';
    throw new ImageError(
      'ERR_UNSUPPORTED_COMPRESSION',
      `Unsupported compression ${describeCompression(code)}.${advice}`,
      { path },
    );
  }
  const bits = ifd.bitsPerSample[0] ?? 1;
  if (ifd.bitsPerSample.some((b) => b !== bits)) {
    throw unsupported(path, `mixed bits per sample (${ifd.bitsPerSample.join(', ')})`);
  }
  if (ifd.planarConfig !== 1) throw unsupported(path, 'planar (separate) sample layout');
  if (ifd.sampleFormat.some((f) => f !== 1)) throw unsupported(path, 'non-integer samples');
  if (ifd.predictor !== 1 && ifd.predictor !== 2) {
    throw unsupported(path, `predictor ${ifd.predictor}`);
  }
  if (ifd.fillOrder !== 1) throw unsupported(path, 'fill order 2 (least significant bit first)');
  const spp = ifd.samplesPerPixel;
  const tags = {
    t259: [code],
    t258: [...ifd.bitsPerSample],
    t277: [spp],
    t317: [ifd.predictor],
    t262: [ifd.photometric ?? 1],
    t266: [1],
    ...(ifd.jpegTables === undefined ? {} : { t347: ifd.jpegTables }),
    isLE: littleEndian,
  };
  const base = { compression: code, colorMap: undefined, tags };
  if (code === 7) {
    if (bits !== 8 || (spp !== 1 && spp !== 3)) {
      throw unsupported(path, `JPEG with ${spp} samples of ${bits} bits`);
    }
    // utif2's JPEG decoder always produces RGB.
    return { ...base, photometric: 2, bits: 8, samples: 3, alpha: false };
  }
  const photometric = ifd.photometric ?? 1;
  const ok = (bitsAllowed: readonly number[], sppAllowed: readonly number[]): boolean =>
    bitsAllowed.includes(bits) && sppAllowed.includes(spp);
  switch (photometric) {
    case 0:
    case 1:
      if (ok([1, 2, 4, 8, 16], [1]) || ok([8, 16], [2])) {
        return { ...base, photometric, bits, samples: spp, alpha: spp === 2 };
      }
      break;
    case 2:
      if (ok([8, 16], [3, 4]))
        return { ...base, photometric, bits, samples: spp, alpha: spp === 4 };
      break;
    case 3:
      if (ok([1, 2, 4, 8], [1]) && (ifd.colorMap?.length ?? 0) >= 3 * 2 ** bits) {
        return { ...base, photometric, bits, samples: 1, alpha: false, colorMap: ifd.colorMap };
      }
      break;
  }
  throw unsupported(
    path,
    `photometric interpretation ${photometric} with ${spp} samples of ${bits} bits`,
  );
}

/** Bytes per decoded row of `width` pixels. */
export function rowBytes(layout: ChunkLayout, width: number): number {
  return Math.ceil((width * layout.samples * layout.bits) / 8);
}

/**
 * Decodes one chunk (`bytes`, standalone) of `width × height` pixels into `target` at
 * a fresh raster with rows of {@link rowBytes}. Rejects with `ERR_IMAGE_DECODE` if utif2 throws.
 */
export function decodeChunk(
  layout: ChunkLayout,
  bytes: Uint8Array,
  width: number,
  height: number,
  context: ErrorContext,
): Uint8Array {
  const out = new Uint8Array(rowBytes(layout, width) * height);
  if (bytes.length === 0) return out; // a sparse chunk decodes to zeros, as in libtiff
  try {
    // A fresh tag object per call: utif2's JPEG decoder rewrites the photometric tag.
    const tags = { ...layout.tags };
    if (layout.compression === 5) {
      // utif2's own LZW decoder can loop forever on corrupt data: decode here, then let utif2
      // undo the predictor and byte order as for uncompressed data.
      const plain = new Uint8Array(out.length);
      decodeLzw(bytes, plain);
      decompress!(tags, [], plain, 0, plain.length, 1, out, 0, 1, width, height);
    } else {
      decompress!(tags, [], bytes, 0, bytes.length, layout.compression, out, 0, 1, width, height);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ImageError('ERR_IMAGE_DECODE', `Cannot decode: ${message}`, context, { cause: err });
  }
  return out;
}

/**
 * Converts `rect` of a decoded raster (rows of `stride` bytes) to 8-bit RGB or RGBA, into a
 * fresh standalone buffer.
 */
export function toRgb(
  layout: ChunkLayout,
  raster: Uint8Array,
  stride: number,
  rect: Rect,
  channels: 3 | 4,
): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * channels);
  const { samples, bits, photometric } = layout;
  const fast8 = bits === 8 && (photometric === 2 || photometric === 1);
  let o = 0;
  for (let row = 0; row < rect.height; row++) {
    const line = (rect.y + row) * stride;
    if (fast8) {
      let i = line + rect.x * samples;
      for (let col = 0; col < rect.width; col++, i += samples) {
        if (photometric === 2) {
          out[o++] = raster[i]!;
          out[o++] = raster[i + 1]!;
          out[o++] = raster[i + 2]!;
        } else {
          const v = raster[i]!;
          out[o++] = v;
          out[o++] = v;
          out[o++] = v;
        }
        if (channels === 4) out[o++] = layout.alpha ? raster[i + samples - 1]! : 255;
      }
      continue;
    }
    for (let col = 0; col < rect.width; col++) {
      const first = (rect.x + col) * samples;
      const sample = (s: number): number => readSample(raster, line, first + s, bits);
      const scale = (v: number): number =>
        bits >= 8 ? v : Math.round((v * 255) / (2 ** bits - 1));
      if (photometric === 3) {
        const index = sample(0);
        const map = layout.colorMap!;
        const n = 2 ** bits;
        out[o++] = map[index]! >> 8;
        out[o++] = map[n + index]! >> 8;
        out[o++] = map[2 * n + index]! >> 8;
      } else if (photometric === 2) {
        out[o++] = sample(0);
        out[o++] = sample(1);
        out[o++] = sample(2);
      } else {
        const grey = scale(sample(0));
        const v = photometric === 0 ? 255 - grey : grey;
        out[o++] = v;
        out[o++] = v;
        out[o++] = v;
      }
      if (channels === 4) out[o++] = layout.alpha ? sample(samples - 1) : 255;
    }
  }
  return out;
}

/** Sample `index` of a row starting at byte `line`, reduced to 8 bits when 16-bit. */
function readSample(raster: Uint8Array, line: number, index: number, bits: number): number {
  if (bits === 8) return raster[line + index]!;
  // utif2 leaves 16-bit samples little-endian: the high byte comes second.
  if (bits === 16) return raster[line + index * 2 + 1]!;
  const bit = index * bits;
  const byte = raster[line + (bit >> 3)]!;
  return (byte >> (8 - bits - (bit & 7))) & ((1 << bits) - 1);
}
