/**
 * A small, defensive TIFF/BigTIFF directory parser: reads the IFD chain and IFD 0's SubIFDs
 * (only the tags the readers need), with every offset bounds-checked against the file size and
 * loops and absurd counts rejected as `ERR_IMAGE_DECODE`. It decodes no pixels.
 *
 * @internal
 */
import { ImageError } from '../../errors.js';
import type { FileSource } from './file-source.js';

/** One image file directory, reduced to the tags the readers use. */
export interface TiffIfd {
  /** Byte offset of the directory. */
  readonly offset: number;
  /** Index in the main IFD chain (sharp's `page`), or `undefined` for a SubIFD. */
  readonly page: number | undefined;
  /** Index among IFD 0's SubIFDs (sharp's `tiff.subifd`), or `undefined`. */
  readonly subIfd: number | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly bitsPerSample: readonly number[];
  readonly compression: number;
  readonly photometric: number | undefined;
  readonly fillOrder: number;
  readonly samplesPerPixel: number;
  readonly rowsPerStrip: number | undefined;
  /** Whether the directory has tile tags (TileWidth, TileLength, TileOffsets). */
  readonly tiled: boolean;
  readonly planarConfig: number;
  readonly predictor: number;
  readonly tileWidth: number | undefined;
  readonly tileHeight: number | undefined;
  /** Tile offsets if tiled, else strip offsets. */
  readonly chunkOffsets: readonly number[];
  /** Tile byte counts if tiled, else strip byte counts. */
  readonly chunkByteCounts: readonly number[];
  readonly newSubfileType: number;
  readonly extraSamples: readonly number[];
  readonly sampleFormat: readonly number[];
  readonly jpegTables: Uint8Array | undefined;
  readonly colorMap: readonly number[] | undefined;
  readonly subIfdOffsets: readonly number[];
}

/** The parsed directory structure of a TIFF file. */
export interface TiffDirectory {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  /** The main chain, in file order (page 0 first). */
  readonly pages: readonly TiffIfd[];
  /** IFD 0's SubIFDs, in tag order. */
  readonly subIfds: readonly TiffIfd[];
}

const MAX_ENTRIES = 4096;
const MAX_DIRECTORIES = 65536;
/** Bytes per value of each TIFF field type (0 = unknown type). */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8] as const;
const WANTED = new Set([
  254, 256, 257, 258, 259, 262, 266, 273, 277, 278, 279, 284, 317, 320, 322, 323, 324, 325, 330,
  338, 339, 347,
]);

type TagValue = number[] | Uint8Array;

function corrupt(source: FileSource, message: string): ImageError {
  return new ImageError('ERR_IMAGE_DECODE', `Corrupt TIFF: ${message}`, { path: source.path });
}

class Reader {
  readonly source: FileSource;
  readonly le: boolean;
  readonly big: boolean;

  constructor(source: FileSource, le: boolean, big: boolean) {
    this.source = source;
    this.le = le;
    this.big = big;
  }

  offsetAt(view: DataView, at: number): number {
    if (!this.big) return view.getUint32(at, this.le);
    const v = view.getBigUint64(at, this.le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(this.source, `offset ${v} is too large`);
    return Number(v);
  }

  valueAt(view: DataView, type: number, at: number): number {
    switch (type) {
      case 1:
      case 7:
        return view.getUint8(at);
      case 6:
        return view.getInt8(at);
      case 3:
        return view.getUint16(at, this.le);
      case 8:
        return view.getInt16(at, this.le);
      case 4:
      case 13:
        return view.getUint32(at, this.le);
      case 9:
        return view.getInt32(at, this.le);
      case 16:
      case 18:
        return Number(view.getBigUint64(at, this.le));
      case 17:
        return Number(view.getBigInt64(at, this.le));
      default:
        return Number.NaN;
    }
  }

  async readIfd(offset: number, page: number | undefined, subIfd: number | undefined) {
    const countSize = this.big ? 8 : 2;
    const entrySize = this.big ? 20 : 12;
    const head = await this.source.read(offset, countSize, `directory at byte ${offset}`);
    const headView = new DataView(head.buffer);
    const count = this.big ? this.offsetAt(headView, 0) : headView.getUint16(0, this.le);
    if (count === 0 || count > MAX_ENTRIES) {
      throw corrupt(this.source, `directory at byte ${offset} claims ${count} entries`);
    }
    const body = await this.source.read(
      offset + countSize,
      count * entrySize + (this.big ? 8 : 4),
      `directory at byte ${offset}`,
    );
    const view = new DataView(body.buffer);
    const tags = new Map<number, TagValue>();
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      const tag = view.getUint16(at, this.le);
      const type = view.getUint16(at + 2, this.le);
      if (!WANTED.has(tag)) continue;
      const size = TYPE_SIZES[type] ?? 0;
      if (size === 0) continue;
      const n = this.big ? this.offsetAt(view, at + 4) : view.getUint32(at + 4, this.le);
      const bytes = n * size;
      const inline = bytes <= (this.big ? 8 : 4);
      const valueAt = at + (this.big ? 12 : 8);
      let data: DataView;
      let base: number;
      if (inline) {
        data = view;
        base = valueAt;
      } else {
        const where = this.offsetAt(view, valueAt);
        const raw = await this.source.read(where, bytes, `values of tag ${tag}`);
        data = new DataView(raw.buffer);
        base = 0;
      }
      if (type === 1 || type === 7) {
        tags.set(
          tag,
          new Uint8Array(data.buffer.slice(data.byteOffset + base, data.byteOffset + base + n)),
        );
        continue;
      }
      const values = new Array<number>(n);
      for (let j = 0; j < n; j++) values[j] = this.valueAt(data, type, base + j * size);
      tags.set(tag, values);
    }
    const next = this.offsetAt(view, count * entrySize);
    return { ifd: toIfd(tags, offset, page, subIfd), next };
  }
}

function first(tags: Map<number, TagValue>, tag: number): number | undefined {
  const v = tags.get(tag);
  return v === undefined || v instanceof Uint8Array ? undefined : v[0];
}

function list(tags: Map<number, TagValue>, tag: number): number[] {
  const v = tags.get(tag);
  return v === undefined ? [] : Array.from(v);
}

function toIfd(
  tags: Map<number, TagValue>,
  offset: number,
  page: number | undefined,
  subIfd: number | undefined,
): TiffIfd {
  const tiled = tags.has(322) || tags.has(323) || tags.has(324);
  const spp = first(tags, 277) ?? 1;
  const jpegTables = tags.get(347);
  return {
    offset,
    page,
    subIfd,
    width: first(tags, 256),
    height: first(tags, 257),
    bitsPerSample: tags.has(258) ? list(tags, 258) : [1],
    compression: first(tags, 259) ?? 1,
    photometric: first(tags, 262),
    fillOrder: first(tags, 266) ?? 1,
    samplesPerPixel: spp,
    rowsPerStrip: first(tags, 278),
    tiled,
    planarConfig: first(tags, 284) ?? 1,
    predictor: first(tags, 317) ?? 1,
    tileWidth: tiled ? first(tags, 322) : undefined,
    tileHeight: tiled ? first(tags, 323) : undefined,
    chunkOffsets: list(tags, tiled ? 324 : 273),
    chunkByteCounts: list(tags, tiled ? 325 : 279),
    newSubfileType: first(tags, 254) ?? 0,
    extraSamples: list(tags, 338),
    sampleFormat: list(tags, 339),
    jpegTables: jpegTables instanceof Uint8Array ? jpegTables : undefined,
    colorMap: tags.has(320) ? list(tags, 320) : undefined,
    subIfdOffsets: list(tags, 330),
  };
}

/**
 * Reads the directory structure of the TIFF in `source` (whose signature has been checked).
 * Rejects with `ERR_IMAGE_DECODE` for broken offsets, loops or absurd entry counts.
 */
export async function readTiffDirectory(
  source: FileSource,
  bigTiff: boolean,
): Promise<TiffDirectory> {
  const header = await source.read(0, bigTiff ? 16 : 8, 'header');
  const le = header[0] === 0x49;
  const reader = new Reader(source, le, bigTiff);
  const view = new DataView(header.buffer);
  if (bigTiff && (view.getUint16(4, le) !== 8 || view.getUint16(6, le) !== 0)) {
    throw corrupt(source, 'BigTIFF header with an offset size other than 8');
  }
  let offset = reader.offsetAt(view, bigTiff ? 8 : 4);
  if (offset === 0) throw corrupt(source, 'the file has no image directory');
  const seen = new Set<number>();
  const pages: TiffIfd[] = [];
  while (offset !== 0) {
    if (seen.has(offset)) throw corrupt(source, `directory chain loops back to byte ${offset}`);
    if (seen.size >= MAX_DIRECTORIES)
      throw corrupt(source, `more than ${MAX_DIRECTORIES} directories`);
    seen.add(offset);
    const { ifd, next } = await reader.readIfd(offset, pages.length, undefined);
    pages.push(ifd);
    offset = next;
  }
  const subIfds: TiffIfd[] = [];
  const first = pages[0];
  for (const [i, at] of (first?.subIfdOffsets ?? []).entries()) {
    if (seen.has(at)) throw corrupt(source, `SubIFD at byte ${at} is also another directory`);
    seen.add(at);
    subIfds.push((await reader.readIfd(at, undefined, i)).ifd);
  }
  return { littleEndian: le, bigTiff, pages, subIfds };
}
