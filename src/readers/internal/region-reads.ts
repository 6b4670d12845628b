/**
 * What every reader does around its decoder: validate the region and options, enforce the
 * size limit and bounds policy, pad, track reads in flight for `close()`, honour the signal.
 *
 * @internal
 */
import { ImageError, type ErrorContext, type RegionRef } from '../../errors.js';
import type { ImageLevel } from '../image-reader.js';
import type { ReadRegionOptions } from '../read-region-options.js';
import type { RegionPixels } from '../region-pixels.js';
import { abortable } from './abortable.js';
import { assertRegion, fillReadRegionOptions } from './options.js';
import { ownedCopy } from './standalone.js';

/** A rectangle inside one level. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What a reader's decoder is asked for: a rectangle entirely inside `level`. */
export interface DecodeRequest {
  readonly level: number;
  readonly rect: Rect;
  readonly channels: 3 | 4;
  /** For errors: the file and the region as requested. */
  readonly context: ErrorContext;
  readonly signal: AbortSignal | undefined;
  /** Whether the caller wants the bytes in a `SharedArrayBuffer`. */
  readonly shared: boolean;
  /**
   * Where the caller wants the bytes (`rect.width × rect.height × channels` long): a decoder that
   * copies its output anyway copies into it and returns it; others may ignore it.
   */
  readonly into: Uint8Array | undefined;
}

/** Decodes `rect` to exactly `rect.width × rect.height × channels` standalone bytes. */
export type Decode = (request: DecodeRequest) => Promise<Uint8Array>;

/** Region reads of one opened image. */
export class RegionReads {
  readonly #path: string;
  readonly #levels: readonly ImageLevel[];
  readonly #maxRegionPixels: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(path: string, levels: readonly ImageLevel[], maxRegionPixels: number) {
    this.#path = path;
    this.#levels = levels;
    this.#maxRegionPixels = maxRegionPixels;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Validates, plans and runs one read with `decode`. */
  async read(
    regionArg: RegionRef,
    optionsArg: ReadRegionOptions | undefined,
    decode: Decode,
  ): Promise<RegionPixels> {
    const region = assertRegion(regionArg);
    const options = fillReadRegionOptions(optionsArg);
    options.signal?.throwIfAborted();
    if (this.#closed) throw new TypeError(`Cannot read a region of a closed image: ${this.#path}`);
    const context: ErrorContext = { path: this.#path, region };
    const level = this.#levels[region.level];
    if (level === undefined) {
      throw new ImageError(
        'ERR_REGION_OUT_OF_BOUNDS',
        `Level ${region.level} does not exist: the image has ${this.#levels.length} level(s)`,
        context,
      );
    }
    const pixels = region.width * region.height;
    if (pixels > this.#maxRegionPixels) {
      throw new ImageError(
        'ERR_IMAGE_TOO_LARGE',
        `Region of ${pixels} pixels exceeds maxRegionPixels (${this.#maxRegionPixels})`,
        context,
      );
    }
    const inner = intersect(region, level);
    const inside =
      inner !== undefined && inner.width === region.width && inner.height === region.height;
    if (!inside && options.outOfBounds === 'error') {
      throw new ImageError(
        'ERR_REGION_OUT_OF_BOUNDS',
        `Region is not inside level ${region.level} (${level.width}×${level.height})`,
        context,
      );
    }
    const channels = options.alpha ? 4 : 3;
    const into = options.into;
    const bytes = region.width * region.height * channels;
    if (into !== undefined && into.byteLength !== bytes) {
      throw new RangeError(
        `options.into holds ${into.byteLength} bytes; a ${region.width}×${region.height} region with ${channels} channels needs ${bytes}`,
      );
    }
    const work = (async (): Promise<RegionPixels> => {
      const decoded =
        inner === undefined
          ? undefined
          : await decode({
              level: region.level,
              rect: inner,
              channels,
              context,
              signal: options.signal,
              shared: options.shared,
              into: inside ? into : undefined,
            });
      let data = inside ? decoded! : pad(region, inner, decoded, channels, options.fill);
      if (into !== undefined) {
        if (data !== into) into.set(data);
        data = into;
      } else if (options.shared && !(data.buffer instanceof SharedArrayBuffer)) {
        data = ownedCopy(data, true);
      }
      return { data, width: region.width, height: region.height, channels };
    })();
    this.#inFlight.add(work);
    const untrack = (): void => void this.#inFlight.delete(work);
    work.then(untrack, untrack);
    return abortable(work, options.signal);
  }

  /** Marks the image closed and waits for reads in flight to settle. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
  }
}

function intersect(region: RegionRef, level: ImageLevel): Rect | undefined {
  const x0 = Math.max(region.x, 0);
  const y0 = Math.max(region.y, 0);
  const x1 = Math.min(region.x + region.width, level.width);
  const y1 = Math.min(region.y + region.height, level.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

/** The requested rectangle: `fill` (alpha 0) outside the level, the decoded pixels inside. */
function pad(
  region: RegionRef,
  inner: Rect | undefined,
  decoded: Uint8Array | undefined,
  channels: 3 | 4,
  fill: number,
): Uint8Array {
  const out = new Uint8Array(region.width * region.height * channels);
  if (channels === 3) {
    out.fill(fill);
  } else {
    const pixel = new Uint8Array([fill, fill, fill, 0]);
    for (let i = 0; i < out.length; i += 4) out.set(pixel, i);
  }
  if (inner === undefined || decoded === undefined) return out;
  const rowBytes = inner.width * channels;
  for (let row = 0; row < inner.height; row++) {
    const src = row * rowBytes;
    const dst = ((inner.y - region.y + row) * region.width + (inner.x - region.x)) * channels;
    out.set(decoded.subarray(src, src + rowBytes), dst);
  }
  return out;
}
