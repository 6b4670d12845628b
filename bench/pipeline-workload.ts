/**
 * The canonical workload of the pipeline benchmark (DESIGN.md §5), shared by every row: big
 * chunks are random 2048² level-0 regions of a random slide, each cut into 64 random 224²
 * patches, delivered in batches of 32 uint8 patches with (patient, x, y). The comparison rows
 * draw regions and patch positions from one seeded plan, so they all do the same work.
 */
import { cropPixels } from '../src/collectors/crop-pixels.js';
import type { Dataset } from '../src/dataset/index.js';
import { deriveSeed } from '../src/internal/derive-seed.js';
import { Rng } from '../src/internal/rng.js';

/** Side of a big chunk (level-0 pixels). */
export const REGION_SIZE = 2048;
/** Side of a patch. */
export const PATCH_SIZE = 224;
/** Patches cut from each big chunk. */
export const PATCHES_PER_REGION = 64;
/** Patches per batch. */
export const BATCH_SIZE = 32;
/** Worker threads of the pool-based rows. */
export const WORKERS = 2;
/** Channels of every patch (RGB). */
export const CHANNELS = 3;
/** Bytes of one patch. */
export const PATCH_BYTES = PATCH_SIZE * PATCH_SIZE * CHANNELS;
/** Bytes of one big chunk. */
export const REGION_BYTES = REGION_SIZE * REGION_SIZE * CHANNELS;

/** A slide of the workload. */
export interface Slide {
  /** Patient id. */
  readonly patient: string;
  /** The TIFF file. */
  readonly path: string;
  /** Level-0 width. */
  readonly width: number;
  /** Level-0 height. */
  readonly height: number;
}

/** One big chunk to read and the patches to cut out of it. */
export interface RegionTask {
  readonly patient: string;
  readonly path: string;
  /** Left edge of the region (level 0). */
  readonly left: number;
  /** Top edge of the region (level 0). */
  readonly top: number;
  /** Patch origins inside the region, `[x0, y0, x1, y1, …]`, `PATCHES_PER_REGION` pairs. */
  readonly offsets: Int32Array;
}

/** Where a delivered patch came from. */
export interface PatchInfo {
  readonly patient: string;
  readonly x: number;
  readonly y: number;
}

/** What a row yields to the (do-nothing) consumer: something holding `count` patches. */
export interface RowOutput {
  readonly count: number;
}

/** A collated batch: one `N × 224 × 224 × 3` typed array plus per-sample metadata. */
export interface BenchBatch extends RowOutput {
  readonly data: Uint8Array;
  readonly samples: readonly PatchInfo[];
}

/** Running totals of big-chunk reads, for the table's "read ms" column. */
export interface ReadTimes {
  reads: number;
  totalMs: number;
}

/** What a row runs against, and where it reports what it saw. */
export interface RowEnv {
  /** The canonical dataset. */
  readonly dataset: Dataset;
  /** Its slides. */
  readonly slides: readonly Slide[];
  /** Seed of every random choice of the row. */
  readonly seed: number;
  /** Big-chunk reads the row timed. */
  readonly reads: ReadTimes;
  /** Extra figures the row reports (printed and kept in the row's JSON). */
  readonly details: Record<string, string | number>;
}

/** A row of the table: how to run it in a fresh process. */
export interface RowDefinition {
  /** Label printed in the table. */
  readonly label: string;
  /** Whether the row uses worker threads. */
  readonly workers: boolean;
  /** For rows with configured bounds: the memory their buffers may hold, in MiB. */
  readonly bufferMiB?: number;
  /** Whether the headline targets are checked for the row. @defaultValue whether it has `bufferMiB` */
  readonly checkTargets?: boolean;
  /** Produces the row's output; breaking out of it must release everything. */
  run(env: RowEnv): AsyncIterable<RowOutput>;
}

/** An endless, seeded sequence of region tasks over the slides (uniform slide, uniform position). */
export function regionPlan(slides: readonly Slide[], seed: number): () => RegionTask {
  const rng = Rng.seeded(deriveSeed(seed, 'pipeline-plan'));
  return () => {
    const slide = rng.pick(slides);
    const left = rng.int(0, slide.width - REGION_SIZE);
    const top = rng.int(0, slide.height - REGION_SIZE);
    const offsets = new Int32Array(PATCHES_PER_REGION * 2);
    for (let i = 0; i < offsets.length; i++) offsets[i] = rng.int(0, REGION_SIZE - PATCH_SIZE);
    return { patient: slide.patient, path: slide.path, left, top, offsets };
  };
}

/** Cuts the task's patches out of the region's pixels, each into its own buffer. */
export function cutPatches(task: RegionTask, pixels: Uint8Array): Uint8Array[] {
  const patches: Uint8Array[] = [];
  for (let i = 0; i < PATCHES_PER_REGION; i++) {
    const x = task.offsets[2 * i]!;
    const y = task.offsets[2 * i + 1]!;
    patches.push(cropPixels(pixels, REGION_SIZE, CHANNELS, x, y, PATCH_SIZE, PATCH_SIZE));
  }
  return patches;
}

/** Cuts the task's patches out of the region's pixels into one packed, transferable buffer. */
export function cutPatchesPacked(task: RegionTask, pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(PATCHES_PER_REGION * PATCH_BYTES);
  const rowBytes = PATCH_SIZE * CHANNELS;
  const stride = REGION_SIZE * CHANNELS;
  for (let i = 0; i < PATCHES_PER_REGION; i++) {
    const x = task.offsets[2 * i]!;
    const y = task.offsets[2 * i + 1]!;
    let src = y * stride + x * CHANNELS;
    let dst = i * PATCH_BYTES;
    for (let row = 0; row < PATCH_SIZE; row++, src += stride, dst += rowBytes) {
      out.set(pixels.subarray(src, src + rowBytes), dst);
    }
  }
  return out;
}

/** The metadata of the task's patches, in order. */
export function patchInfos(task: RegionTask): PatchInfo[] {
  const infos: PatchInfo[] = [];
  for (let i = 0; i < PATCHES_PER_REGION; i++) {
    infos.push({
      patient: task.patient,
      x: task.left + task.offsets[2 * i]!,
      y: task.top + task.offsets[2 * i + 1]!,
    });
  }
  return infos;
}

/**
 * Collates patches into batches of {@link BATCH_SIZE}, copying each patch into the batch's one
 * typed array, as a training loop needs it.
 */
export class Collator {
  #data = new Uint8Array(BATCH_SIZE * PATCH_BYTES);
  #samples: PatchInfo[] = [];

  /** Adds one patch; returns the batch it completed, if any. */
  add(patch: Uint8Array, info: PatchInfo): BenchBatch | undefined {
    this.#data.set(patch, this.#samples.length * PATCH_BYTES);
    this.#samples.push(info);
    if (this.#samples.length < BATCH_SIZE) return undefined;
    const done = { data: this.#data, samples: this.#samples, count: BATCH_SIZE };
    this.#data = new Uint8Array(BATCH_SIZE * PATCH_BYTES);
    this.#samples = [];
    return done;
  }
}
