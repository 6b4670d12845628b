/**
 * Writes the image fixtures of the reader tests into `test/fixtures/images/`: small valid files
 * for exactness tests and a corpus of bad inputs, each a few kilobytes at most. Deterministic:
 * running it again rewrites the same bytes (with the same sharp/libvips version).
 *
 * Run with `npx tsx scripts/make-fixtures.ts`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { tissueTexture } from '../src/readers/internal/tissue-texture.js';

const OUT = new URL('../test/fixtures/images/', import.meta.url);
const out = (name: string): string => new URL(name, OUT).pathname;

// ── a minimal little-endian classic TIFF writer, for files sharp cannot write ──────────────────

/** TIFF field types used here. */
const SHORT = 3;
const LONG = 4;
const ASCII = 2;

type TagValue = readonly number[] | string | Uint8Array;
interface Tag {
  readonly tag: number;
  readonly type: number;
  readonly value: TagValue;
}
interface IfdSpec {
  /** Tags other than the chunk offsets/byte counts, which are filled in. */
  readonly tags: readonly Tag[];
  /** Tile or strip data, in order. */
  readonly chunks: readonly Uint8Array[];
  readonly tiled: boolean;
  /** SubIFDs (page 0 only). */
  readonly subIfds?: readonly IfdSpec[];
}

class Bytes {
  #buf = new Uint8Array(1 << 16);
  length = 0;

  #grow(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
  }

  align(): void {
    if (this.length % 2 === 1) this.push(new Uint8Array(1));
  }

  push(bytes: Uint8Array): number {
    this.#grow(bytes.length);
    const at = this.length;
    this.#buf.set(bytes, at);
    this.length += bytes.length;
    return at;
  }

  u16(at: number, v: number): void {
    new DataView(this.#buf.buffer).setUint16(at, v, true);
  }

  u32(at: number, v: number): void {
    new DataView(this.#buf.buffer).setUint32(at, v, true);
  }

  write(at: number, bytes: Uint8Array): void {
    this.#buf.set(bytes, at);
  }

  done(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}

function encodeValue(t: Tag): Uint8Array {
  if (typeof t.value === 'string') return new TextEncoder().encode(`${t.value}\0`);
  if (t.value instanceof Uint8Array) return t.value;
  const size = t.type === SHORT ? 2 : 4;
  const bytes = new Uint8Array(t.value.length * size);
  const view = new DataView(bytes.buffer);
  t.value.forEach((v, i) =>
    size === 2 ? view.setUint16(i * 2, v, true) : view.setUint32(i * 4, v, true),
  );
  return bytes;
}

function valueCount(t: Tag): number {
  if (typeof t.value === 'string') return t.value.length + 1;
  return t.value.length;
}

/** Appends an IFD; returns its offset and where its next-IFD pointer lives. */
function appendIfd(file: Bytes, tags: readonly Tag[]): { offset: number; nextAt: number } {
  const sorted = [...tags].sort((a, b) => a.tag - b.tag);
  file.align();
  const offset = file.length;
  const entries = new Uint8Array(2 + sorted.length * 12 + 4);
  file.push(entries);
  file.u16(offset, sorted.length);
  sorted.forEach((t, i) => {
    const at = offset + 2 + i * 12;
    const value = encodeValue(t);
    file.u16(at, t.tag);
    file.u16(at + 2, t.type);
    file.u32(at + 4, valueCount(t));
    if (value.length <= 4) {
      file.write(at + 8, value);
    } else {
      file.align();
      const where = file.push(value);
      file.u32(at + 8, where);
    }
  });
  return { offset, nextAt: offset + 2 + sorted.length * 12 };
}

function withChunks(spec: IfdSpec, offsets: readonly number[]): Tag[] {
  const counts = spec.chunks.map((c) => c.length);
  return [
    ...spec.tags,
    { tag: spec.tiled ? 324 : 273, type: LONG, value: offsets },
    { tag: spec.tiled ? 325 : 279, type: LONG, value: counts },
  ];
}

/** Writes pages (page 0 may carry SubIFDs) as a classic little-endian TIFF. */
function writeTiff(pages: readonly IfdSpec[]): Uint8Array {
  const file = new Bytes();
  file.push(new Uint8Array([0x49, 0x49, 42, 0, 0, 0, 0, 0]));
  const place = (spec: IfdSpec): number[] => spec.chunks.map((c) => (file.align(), file.push(c)));
  const pageOffsets = pages.map(place);
  const subs = pages[0]?.subIfds ?? [];
  const subOffsets = subs.map(place);
  const subIfdAt = subs.map((s, i) => appendIfd(file, withChunks(s, subOffsets[i]!)).offset);
  let previousNext = 4;
  pages.forEach((page, i) => {
    const tags = withChunks(page, pageOffsets[i]!);
    if (i === 0 && subIfdAt.length > 0) tags.push({ tag: 330, type: LONG, value: subIfdAt });
    const { offset, nextAt } = appendIfd(file, tags);
    file.u32(previousNext, offset);
    previousNext = nextAt;
  });
  return file.done();
}

/** The usual tags of an 8-bit image. */
function imageTags(
  width: number,
  height: number,
  options: { compression: number; samples?: number; photometric?: number; tile?: number },
): Tag[] {
  const samples = options.samples ?? 3;
  const tags: Tag[] = [
    { tag: 256, type: LONG, value: [width] },
    { tag: 257, type: LONG, value: [height] },
    { tag: 258, type: SHORT, value: new Array<number>(samples).fill(8) },
    { tag: 259, type: SHORT, value: [options.compression] },
    { tag: 262, type: SHORT, value: [options.photometric ?? (samples >= 3 ? 2 : 1)] },
    { tag: 277, type: SHORT, value: [samples] },
    { tag: 284, type: SHORT, value: [1] },
  ];
  if (options.tile !== undefined) {
    tags.push({ tag: 322, type: SHORT, value: [options.tile] });
    tags.push({ tag: 323, type: SHORT, value: [options.tile] });
  } else {
    tags.push({ tag: 278, type: LONG, value: [height] });
  }
  return tags;
}

/** Splits an RGB raster into deflate-compressed tiles of `tile`² (edge tiles padded). */
function deflateTiles(
  raster: Uint8Array,
  width: number,
  height: number,
  tile: number,
): Uint8Array[] {
  const tiles: Uint8Array[] = [];
  for (let ty = 0; ty < height; ty += tile) {
    for (let tx = 0; tx < width; tx += tile) {
      const t = new Uint8Array(tile * tile * 3);
      for (let y = 0; y < tile && ty + y < height; y++) {
        const from = ((ty + y) * width + tx) * 3;
        const n = Math.min(tile, width - tx) * 3;
        t.set(raster.subarray(from, from + n), y * tile * 3);
      }
      tiles.push(deflateSync(t));
    }
  }
  return tiles;
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) => ({
  raw: { width, height, channels },
});

// ── the fixtures ─────────────────────────────────────────────────────────────────────────────────

/** An RGB raster of the tissue texture, `width × height`, built 4× larger and averaged down. */
async function texture(width: number, height: number, seed: number): Promise<Buffer> {
  const t = tissueTexture(width * 4, height * 4, seed);
  return sharp(t.data, raw(width * 4, height * 4))
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .raw()
    .toBuffer();
}

/** `bytes` with every sample rounded down to a multiple of `step`: flat areas compress well. */
function posterize(bytes: Buffer, step: number): Buffer {
  return Buffer.from(bytes.map((v) => v - (v % step)));
}

/** `rgb` plus an alpha channel that varies smoothly across the image. */
function withAlpha(rgb: Uint8Array, width: number, height: number): Buffer {
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = Math.round(
      (255 * Math.floor((((i % width) + Math.floor(i / width)) * 8) / (width + height))) / 8,
    );
  }
  return rgba;
}

async function validFiles(): Promise<void> {
  // A pyramidal tiled JPEG TIFF: 4 levels, edge tiles partial.
  const big = await texture(600, 440, 1);
  await sharp(big, raw(600, 440))
    .tiff({
      tile: true,
      tileWidth: 128,
      tileHeight: 128,
      pyramid: true,
      compression: 'jpeg',
      quality: 60,
    })
    .toFile(out('pyramid-jpeg.tif'));
  // Lossless tiled pyramids: LZW without predictor, deflate with horizontal predictor.
  const small = posterize(await texture(150, 110, 2), 32);
  await sharp(small, raw(150, 110))
    .tiff({
      tile: true,
      tileWidth: 64,
      tileHeight: 64,
      pyramid: true,
      compression: 'lzw',
      predictor: 'none',
    })
    .toFile(out('lzw-tiled.tif'));
  await sharp(small, raw(150, 110))
    .tiff({
      tile: true,
      tileWidth: 64,
      tileHeight: 64,
      pyramid: true,
      compression: 'deflate',
      predictor: 'horizontal',
    })
    .toFile(out('deflate-predictor-tiled.tif'));
  // Strip (non-tiled) TIFFs: RGB deflate, grey PackBits, 4-bit grey, 1-bit min-is-white; tiled RGBA LZW.
  await sharp(small, raw(150, 110))
    .tiff({ compression: 'deflate', predictor: 'horizontal' })
    .toFile(out('strip-deflate.tif'));
  await sharp(small, raw(150, 110))
    .toColourspace('b-w')
    .tiff({ compression: 'packbits' })
    .toFile(out('grey-packbits.tif'));
  await sharp(withAlpha(small, 150, 110), raw(150, 110, 4))
    .tiff({ compression: 'lzw', tile: true, tileWidth: 64, tileHeight: 64 })
    .toFile(out('rgba-lzw-tiled.tif'));
  await sharp(small, raw(150, 110))
    .toColourspace('b-w')
    .tiff({ compression: 'deflate', predictor: 'none', bitdepth: 4 })
    .toFile(out('grey-4bit.tif'));
  await sharp(small, raw(150, 110))
    .toColourspace('b-w')
    .tiff({ compression: 'none', bitdepth: 1, miniswhite: true })
    .toFile(out('bilevel-miniswhite.tif'));
  // WebP tiles: sharp reads them, utif2 cannot.
  await sharp(small, raw(150, 110))
    .tiff({ tile: true, tileWidth: 64, tileHeight: 64, compression: 'webp', quality: 50 })
    .toFile(out('webp-tiled.tif'));
  // BigTIFF: sharp reads it, utif2 cannot.
  await sharp(small, raw(150, 110))
    .tiff({ tile: true, tileWidth: 64, tileHeight: 64, compression: 'deflate', bigtiff: true })
    .toFile(out('bigtiff.tif'));
  // Single-level formats.
  await sharp(small, raw(150, 110)).png().toFile(out('image.png'));
  await sharp(small, raw(150, 110)).jpeg({ quality: 70 }).toFile(out('image.jpg'));
  // An OME-style pyramid: levels as SubIFDs of IFD 0, deflate tiles of 16².
  const ome = await Promise.all(
    [
      [96, 64],
      [48, 32],
      [24, 16],
    ].map(async ([w, h]) => ({
      w: w!,
      h: h!,
      data: new Uint8Array(
        await sharp(small, raw(150, 110)).resize(w, h, { fit: 'fill' }).raw().toBuffer(),
      ),
    })),
  );
  const level = (l: (typeof ome)[number], subfile: number): IfdSpec => ({
    tags: [
      ...imageTags(l.w, l.h, { compression: 8, tile: 16 }),
      { tag: 254, type: LONG, value: [subfile] },
    ],
    chunks: deflateTiles(l.data, l.w, l.h, 16),
    tiled: true,
  });
  await writeFile(
    out('ome-subifd.tif'),
    writeTiff([{ ...level(ome[0]!, 0), subIfds: [level(ome[1]!, 1), level(ome[2]!, 1)] }]),
  );
}

async function badFiles(): Promise<void> {
  await writeFile(out('not-an-image.tif'), 'This is a text file with a .tif name.\n');
  await writeFile(out('empty-file.tif'), new Uint8Array(0));
  // Truncated: the first 40% of a valid tiled TIFF.
  const whole = await readFile(out('pyramid-jpeg.tif'));
  await writeFile(out('truncated.tif'), whole.subarray(0, Math.floor(whole.length * 0.4)));

  const tile = 32;
  const rgb = new Uint8Array(64 * 64 * 3).fill(200);
  const tiles = deflateTiles(rgb, 64, 64, tile);
  const tiled = (compression: number, extra: Tag[] = [], chunks = tiles): IfdSpec => ({
    tags: [...imageTags(64, 64, { compression, tile }), ...extra],
    chunks,
    tiled: true,
  });
  const scramble = (bytes: Uint8Array): Uint8Array => bytes.map((_, i) => (i * 73 + 11) & 255);
  // Corrupt tile data, valid structure: garbage in JPEG tiles, and in deflate tiles.
  await writeFile(out('corrupt-jpeg-tiles.tif'), writeTiff([tiled(7, [], tiles.map(scramble))]));
  await writeFile(
    out('corrupt-deflate-tiles.tif'),
    writeTiff([
      tiled(
        8,
        [],
        tiles.map((t) => t.map((b, i) => (i < 2 ? b : (b * 31 + i) & 255))),
      ),
    ]),
  );
  // Broken IFD offset: the header points past the end of the file.
  const brokenHeader = writeTiff([tiled(8)]);
  new DataView(brokenHeader.buffer).setUint32(4, brokenHeader.length + 1000, true);
  await writeFile(out('corrupt-ifd-offset.tif'), brokenHeader);
  // A directory chain that loops back to itself.
  const loop = writeTiff([tiled(8)]);
  const view = new DataView(loop.buffer);
  const ifd = view.getUint32(4, true);
  const entries = view.getUint16(ifd, true);
  view.setUint32(ifd + 2 + entries * 12, ifd, true);
  await writeFile(out('ifd-loop.tif'), loop);
  // Intact directory, but the last tile's byte count runs past the end of the file.
  const past = writeTiff([tiled(8)]);
  patchLastValue(past, 325, (v) => v + 5000);
  await writeFile(out('tile-past-eof.tif'), past);
  // Unsupported compression: Aperio-style JPEG 2000 (33003) and Zstandard (50000).
  const j2kTile = new Uint8Array([0xff, 0x4f, 0xff, 0x51, 0, 0x2f, 0, 0, 0, 0, 0, 0x20]);
  await writeFile(
    out('aperio-jp2k.svs'),
    writeTiff([
      tiled(
        33003,
        [
          {
            tag: 270,
            type: ASCII,
            value: 'Aperio Image Library v11.2.1 \r\n64x64 [0,0 64x64] (32x32) J2K/YUV16 Q=70',
          },
        ],
        [j2kTile, j2kTile, j2kTile, j2kTile],
      ),
    ]),
  );
  const zstdFrame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x01, 0x09, 0, 0, 0xc8]);
  await writeFile(
    out('zstd.tif'),
    writeTiff([tiled(50000, [], [zstdFrame, zstdFrame, zstdFrame, zstdFrame])]),
  );
  // Zero-sized image headers.
  await writeFile(
    out('zero-width.tif'),
    writeTiff([
      { tags: imageTags(0, 64, { compression: 1 }), chunks: [new Uint8Array(0)], tiled: false },
    ]),
  );
  await writeFile(out('zero-size.png'), pngWithHeader(0, 0));
  // A 100k × 100k header on a tiny file.
  await writeFile(
    out('huge-header.tif'),
    writeTiff([
      {
        tags: imageTags(100_000, 100_000, { compression: 8 }),
        chunks: [deflateSync(new Uint8Array(3000))],
        tiled: false,
      },
    ]),
  );
  await writeFile(out('huge-header.png'), pngWithHeader(100_000, 100_000));
}

/** Rewrites the last LONG value of `tag` in IFD 0 of a little-endian classic TIFF. */
function patchLastValue(file: Uint8Array, tag: number, change: (v: number) => number): void {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const ifd = view.getUint32(4, true);
  const n = view.getUint16(ifd, true);
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12;
    if (view.getUint16(at, true) !== tag) continue;
    const count = view.getUint32(at + 4, true);
    const where = count === 1 ? at + 8 : view.getUint32(at + 8, true) + (count - 1) * 4;
    view.setUint32(where, change(view.getUint32(where, true)), true);
    return;
  }
  throw new Error(`tag ${tag} not found`);
}

/** A PNG signature plus an IHDR claiming `width × height` RGB, plus an empty IDAT and IEND. */
function pngWithHeader(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const bytes = new Uint8Array(12 + data.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, data.length);
    bytes.set(new TextEncoder().encode(type), 4);
    bytes.set(data, 8);
    view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
    return bytes;
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(new Uint8Array(16))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await validFiles();
await badFiles();
console.log(`Fixtures written to ${OUT.pathname}`);
