import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Dataset } from '../dataset/index.js';
import { deriveSeed } from '../internal/derive-seed.js';
import { assertInteger, expected } from '../internal/validate.js';
import { makeSyntheticSlide } from './make-synthetic-slide.js';

/** Options of {@link makeSyntheticDataset}. */
export interface MakeSyntheticDatasetOptions {
  /** Folder for the slides (created if missing). Slides already there with the same parameters are reused. */
  readonly dir: string;
  /** Number of patients (one slide each), 1 to 10,000. @defaultValue `8` */
  readonly count?: number;
  /** Slide width in pixels. @defaultValue `16384` */
  readonly width?: number;
  /** Slide height in pixels. @defaultValue `16384` */
  readonly height?: number;
  /** Tile size in pixels. @defaultValue `256` */
  readonly tileSize?: number;
  /** JPEG quality, 1–100. @defaultValue `80` */
  readonly quality?: number;
  /** Labels assigned in turn (patient i gets `labels[i % labels.length]`). @defaultValue `['tumor', 'normal']` */
  readonly labels?: readonly string[];
  /** Base seed; slide i uses a seed derived from it. @defaultValue `1` */
  readonly seed?: number;
  /** Dataset name. @defaultValue `'synthetic'` */
  readonly name?: string;
  /** Called after each slide is ready, for progress display. */
  readonly onSlide?: (index: number, count: number, reused: boolean) => void;
  /** Aborts generation (rejects with `signal.reason`). */
  readonly signal?: AbortSignal;
}

const DEFAULTS = Object.freeze({
  count: 8,
  width: 16384,
  height: 16384,
  tileSize: 256,
  quality: 80,
  labels: Object.freeze<string[]>(['tumor', 'normal']),
  seed: 1,
  name: 'synthetic',
});

/**
 * Makes a dataset of synthetic whole-slide images (pyramidal, tiled JPEG TIFFs with a
 * tissue-like texture, see {@link makeSyntheticSlide}), one patient per slide with a `label`,
 * so demos, tests and benchmarks need no downloaded data.
 *
 * @remarks
 * Slides are written one after the other into `dir` as `slide-<i>.tif`, each with a small
 * `.json` sidecar of its parameters; a later call with the same parameters reuses them, so the
 * (slow) generation happens once per machine. Patient ids are `slide-<i>`; the record is named
 * `'wsi'`.
 *
 * @param options - Folder, size, count, labels, seed.
 * @returns The dataset.
 * @throws TypeError / RangeError for invalid options; the generator's errors.
 * @example
 * ```ts
 * const dataset = await makeSyntheticDataset({ dir: '.cache/slides', count: 4, width: 8192, height: 8192 });
 * ```
 */
export async function makeSyntheticDataset(options: MakeSyntheticDatasetOptions): Promise<Dataset> {
  const o = { ...DEFAULTS, ...options };
  if (typeof o.dir !== 'string' || o.dir === '') {
    throw new TypeError(expected('dir', 'a non-empty string', o.dir));
  }
  assertInteger('count', o.count, 1, 10_000);
  assertInteger('width', o.width, 1);
  assertInteger('height', o.height, 1);
  if (
    !Array.isArray(o.labels) ||
    o.labels.length === 0 ||
    o.labels.some((l) => typeof l !== 'string')
  ) {
    throw new TypeError(expected('labels', 'a non-empty array of strings', o.labels));
  }
  o.signal?.throwIfAborted();
  const dir = path.resolve(o.dir);
  await mkdir(dir, { recursive: true });
  const patients = [];
  for (let i = 0; i < o.count; i++) {
    o.signal?.throwIfAborted();
    const file = path.join(dir, `slide-${i}.tif`);
    const params = {
      width: o.width,
      height: o.height,
      tileSize: o.tileSize,
      quality: o.quality,
      seed: deriveSeed(o.seed, i),
    };
    const sidecar = `${file}.json`;
    const reused = await sameParams(file, sidecar, params);
    if (!reused) {
      await makeSyntheticSlide({
        path: file,
        ...params,
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
      await writeFile(sidecar, JSON.stringify(params));
    }
    o.onSlide?.(i, o.count, reused);
    patients.push({
      id: `slide-${i}`,
      metadata: { label: o.labels[i % o.labels.length] as string },
      records: [{ name: 'wsi', path: file }],
    });
  }
  return Dataset.fromPatients(o.name, patients);
}

async function sameParams(file: string, sidecar: string, params: object): Promise<boolean> {
  try {
    const [text] = await Promise.all([readFile(sidecar, 'utf8'), stat(file)]);
    return text === JSON.stringify(params);
  } catch {
    return false;
  }
}
