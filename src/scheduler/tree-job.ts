/**
 * The loader tree's work as run inside a worker, in two kinds of job:
 *
 * - `load`: run the big-chunk loader for (patient, tenure, index) and copy its pixels into a
 *   `SharedArrayBuffer`, so every worker can then cut from it without another copy;
 * - `collect`: call the collector from `startCall` on that shared big chunk until `budget` small
 *   chunks are produced, it says FINISHED (or `finish()`), or `maxCalls` calls were made.
 *
 * The small chunks of a collect job are cut into blocks of shared memory (`ChunkArena`), which
 * go out again with a later job once every small chunk in them was copied into a batch.
 *
 * Failures of user code do not throw: they come back as a `failure` that the main thread turns
 * into a typed `LoaderError`/`CollectorError`, so codes and context survive the thread boundary.
 * Only cancellation (the job's signal) rejects.
 *
 * @internal
 */
import type { RegionRef } from '../errors.js';
import { LightdlError } from '../errors.js';
import { deriveSeed } from '../internal/derive-seed.js';
import { Rng } from '../internal/rng.js';
import type { BigChunk, BigChunkInfo } from '../loaders/big-chunk.js';
import type { BigChunkLoader } from '../loaders/big-chunk-loader.js';
import type { LoaderContext, PatientData, TaskRandom } from '../loaders/loader-context.js';
import type { CollectorContext } from '../collectors/collector-context.js';
import { FINISHED } from '../collectors/finished.js';
import { ChunkArena } from './internal/chunk-arena.js';
import { collectYoung } from './internal/young-collection.js';
import type { SmallChunk } from '../collectors/small-chunk.js';
import type { SmallChunkCollector } from '../collectors/small-chunk-collector.js';
import type { OpenedImage, OpenImageOptions } from '../readers/index.js';

/** A loader or collector named for the worker: a built-in or a module export. */
export type ResolvedSpec =
  | { readonly kind: 'builtin'; readonly name: string; readonly options: unknown }
  | {
      readonly kind: 'module';
      readonly href: string;
      readonly export: string;
      readonly options: unknown;
    };

/** Fields common to both job kinds. */
interface JobBase {
  readonly patient: PatientData;
  readonly tenure: number;
  readonly index: number;
  readonly seed: number;
  readonly checkpoint: unknown;
  readonly lastMessage: unknown;
}

/** Load big chunk `index` of the tenure. */
export interface LoadJob extends JobBase {
  readonly kind: 'load';
  readonly loader: ResolvedSpec;
  readonly reader: Pick<OpenImageOptions, 'reader' | 'maxRegionPixels'>;
  /** The memory of a finished big chunk, for `LoaderContext.allocate` to hand out again. */
  readonly reuse?: SharedArrayBuffer | undefined;
}

/** A big chunk whose pixels live in shared memory. */
export interface SharedBigChunk {
  readonly pixels: SharedArrayBuffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly info: BigChunkInfo;
}

/** Collect small chunks from a loaded big chunk. */
export interface CollectJob extends JobBase {
  readonly kind: 'collect';
  readonly collector: ResolvedSpec;
  readonly reader: Pick<OpenImageOptions, 'reader' | 'maxRegionPixels'>;
  readonly big: SharedBigChunk;
  /** Call count of the first call. */
  readonly startCall: number;
  /** Small chunks the job may return (≥ 1). */
  readonly budget: number;
  /** Calls after which the job returns even if it produced less than its budget. */
  readonly maxCalls: number;
  /** Blocks of earlier jobs to cut small chunks into, if any. */
  readonly arenas?: readonly SharedArrayBuffer[] | undefined;
}

/** Either job. */
export type TreeJob = LoadJob | CollectJob;

/** Why user code failed, as plain data. */
export interface TreeFailure {
  readonly message: string;
  readonly code: string | undefined;
  readonly name: string;
  readonly stack: string | undefined;
  readonly record: string | undefined;
  readonly path: string | undefined;
  readonly region: RegionRef | undefined;
}

/** Outcome of a load job. */
export type LoadResult =
  | {
      readonly ok: true;
      readonly big: SharedBigChunk;
      readonly ms: number;
      /** The pixels are memory `LoaderContext.allocate` handed out: LightDL may reuse it. */
      readonly allocated: boolean;
      /** `allocate` handed out the job's `reuse` memory. */
      readonly reused: boolean;
    }
  | { readonly ok: false; readonly failure: TreeFailure };

/** Outcome of a collect job. */
export interface CollectResult {
  readonly chunks: readonly SmallChunk[];
  /** The blocks the small chunks were cut into (see `CollectorContext.allocate`). */
  readonly arenas?: readonly SharedArrayBuffer[] | undefined;
  /**
   * Bytes of `arenas` the job made afresh; the others are blocks it was given. (A block comes
   * back as a new object over the same memory: identity cannot tell.) Absent: all of them.
   */
  readonly freshBytes?: number | undefined;
  /** Blocks the job was given and did not use, handed back for later jobs. */
  readonly spareArenas?: readonly SharedArrayBuffer[] | undefined;
  readonly nextCall: number;
  readonly finished: boolean;
  readonly checkpoint: { readonly value: unknown } | undefined;
  readonly status: { readonly value: unknown } | undefined;
  readonly failure: TreeFailure | undefined;
  readonly ms: number;
}

/** What a worker keeps between jobs: resolved functions and open images. */
export interface TreeWorkerState {
  resolveLoader(spec: ResolvedSpec): Promise<BigChunkLoader>;
  resolveCollector(spec: ResolvedSpec): Promise<SmallChunkCollector>;
  openImage(path: string, options: OpenImageOptions): Promise<OpenedImage>;
}

function randomFor(seed: number, ...parts: readonly (number | string)[]): TaskRandom {
  const rng = Rng.seeded(deriveSeed(seed, ...parts));
  return { float: () => rng.float(), int: (min, max) => rng.int(min, max) };
}

function failureOf(
  error: unknown,
  where: { record?: string | undefined; path?: string | undefined; region?: RegionRef | undefined },
): TreeFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  const lightdl = error instanceof LightdlError ? error : undefined;
  return {
    // A LightdlError's message ends with its context in brackets; the context travels apart.
    message:
      lightdl === undefined ? `${e.name}: ${e.message}` : e.message.replace(/ \[[^\]]*\]$/, ''),
    code: lightdl?.code,
    name: e.name,
    stack: e.stack,
    record: lightdl?.context.record ?? where.record,
    path: lightdl?.context.path ?? where.path,
    region: lightdl?.context.region ?? where.region,
  };
}

/** Image access scoped to one job; remembers what was opened last, for error context. */
function imageAccess(
  job: TreeJob,
  state: TreeWorkerState,
  signal: AbortSignal,
): { open(record?: string): Promise<OpenedImage>; record?: string; path?: string } {
  const access: { open(record?: string): Promise<OpenedImage>; record?: string; path?: string } = {
    open: async (record?: string) => {
      const rec =
        record === undefined
          ? job.patient.records[0]
          : job.patient.records.find((r) => r.name === record);
      if (rec === undefined) {
        throw new LightdlError(
          'ERR_LOADER_FAILED',
          record === undefined
            ? 'Patient has no records'
            : `Patient has no record named ${JSON.stringify(record)}`,
          { patient: job.patient.id, ...(record === undefined ? {} : { record }) },
        );
      }
      access.record = rec.name;
      access.path = rec.path;
      return state.openImage(rec.path, { ...job.reader, signal });
    },
  };
  return access;
}

function checkPixels(
  r: { data?: unknown; width?: unknown; height?: unknown; channels?: unknown },
  what: string,
  defaultChannels: number | undefined,
): void {
  if (r === null || typeof r !== 'object' || !(r.data instanceof Uint8Array)) {
    throw new TypeError(`Expected the ${what} to have \`data\` as a Uint8Array`);
  }
  const { width: w, height: h } = r;
  const c = r.channels ?? defaultChannels;
  if (
    typeof w !== 'number' ||
    typeof h !== 'number' ||
    typeof c !== 'number' ||
    ![w, h, c].every((n) => Number.isInteger(n) && n >= 1)
  ) {
    throw new TypeError(
      `Expected the ${what} to have positive integer \`width\`, \`height\` and \`channels\``,
    );
  }
  if (r.data.length !== w * h * c) {
    throw new RangeError(
      `Expected the ${what}'s data to hold ${w}×${h}×${c} = ${w * h * c} bytes, got ${r.data.length}`,
    );
  }
}

/** Runs a load job. Rejects only when `signal` aborts. */
export async function runLoadJob(
  job: LoadJob,
  state: TreeWorkerState,
  signal: AbortSignal,
): Promise<LoadResult> {
  signal.throwIfAborted();
  const t0 = performance.now();
  const images = imageAccess(job, state, signal);
  let reuse = job.reuse;
  let reused = false;
  const handedOut = new Set<SharedArrayBuffer>();
  try {
    const loader = await state.resolveLoader(job.loader);
    const ctx: LoaderContext = {
      options: job.loader.options,
      tenure: job.tenure,
      index: job.index,
      random: randomFor(job.seed, job.patient.id, job.tenure, job.index),
      checkpoint: job.checkpoint,
      lastMessage: job.lastMessage,
      signal,
      openImage: (record) => images.open(record),
      allocate(byteLength) {
        if (!Number.isInteger(byteLength) || byteLength < 0) {
          throw new RangeError(
            `Expected \`byteLength\` to be an integer ≥ 0, got \`${String(byteLength)}\``,
          );
        }
        let buffer: SharedArrayBuffer;
        if (reuse !== undefined && reuse.byteLength === byteLength) {
          buffer = reuse;
          reuse = undefined;
          reused = true;
        } else {
          buffer = new SharedArrayBuffer(byteLength);
        }
        handedOut.add(buffer);
        return new Uint8Array(buffer);
      },
    };
    const r = await loader(job.patient, ctx);
    checkPixels(r, 'big chunk', undefined);
    // A loader that read with `{ shared: true }` hands over shared memory already: keep it.
    const own =
      r.data.buffer instanceof SharedArrayBuffer &&
      r.data.byteOffset === 0 &&
      r.data.byteLength === r.data.buffer.byteLength;
    const pixels = own ? r.data.buffer : new SharedArrayBuffer(r.data.byteLength);
    if (!own) new Uint8Array(pixels).set(r.data);
    // The reader's decode buffer is garbage now: free it before it piles up (see collectYoung).
    collectYoung();
    return {
      ok: true,
      big: {
        pixels,
        width: r.width,
        height: r.height,
        channels: r.channels,
        info: { ...r.info, patient: job.patient.id, tenure: job.tenure, index: job.index },
      },
      ms: performance.now() - t0,
      allocated: own && handedOut.has(pixels),
      reused,
    };
  } catch (error) {
    signal.throwIfAborted();
    return { ok: false, failure: failureOf(error, images) };
  }
}

/** Runs a collect job. Rejects only when `signal` aborts. */
export async function runCollectJob(
  job: CollectJob,
  state: TreeWorkerState,
  signal: AbortSignal,
): Promise<CollectResult> {
  signal.throwIfAborted();
  const t0 = performance.now();
  const images = imageAccess(job, state, signal);
  const big: BigChunk = {
    data: new Uint8Array(job.big.pixels),
    width: job.big.width,
    height: job.big.height,
    channels: job.big.channels,
    info: job.big.info,
  };
  let checkpointValue = job.checkpoint;
  let checkpoint: { value: unknown } | undefined;
  let status: { value: unknown } | undefined;
  const chunks: SmallChunk[] = [];
  const arena = new ChunkArena(job.budget, job.arenas);
  let call = job.startCall;
  let finished = false;
  let failure: TreeFailure | undefined;
  try {
    const collector = await state.resolveCollector(job.collector);
    for (let n = 0; !finished && chunks.length < job.budget && n < job.maxCalls; n++) {
      signal.throwIfAborted();
      let last = false;
      const ctx: CollectorContext = {
        options: job.collector.options,
        tenure: job.tenure,
        index: job.index,
        random: randomFor(job.seed, job.patient.id, job.tenure, job.index, call),
        checkpoint: checkpointValue,
        lastMessage: job.lastMessage,
        signal,
        openImage: (record) => images.open(record),
        setCheckpoint(value: unknown) {
          checkpointValue = value;
          checkpoint = { value };
        },
        setStatus(value: unknown) {
          status = { value };
        },
        finish() {
          last = true;
        },
        allocate: (byteLength) => arena.allocate(byteLength),
      };
      const r = await collector(call, big, ctx);
      call++;
      if (r === FINISHED) {
        finished = true;
        break;
      }
      finished = last;
      if (r === null) continue;
      checkPixels(r, 'small chunk', big.channels);
      chunks.push({
        data: standalone(r.data, big.data, arena),
        width: r.width,
        height: r.height,
        channels: r.channels ?? big.channels,
        info: {
          patient: job.patient.id,
          level: r.info?.level ?? big.info.region?.level ?? 0,
          x: r.info?.x ?? big.info.region?.x ?? 0,
          y: r.info?.y ?? big.info.region?.y ?? 0,
          width: r.width,
          height: r.height,
          parent: big.info,
          callCount: call - 1,
          ...(r.info?.extra === undefined ? {} : { extra: r.info.extra }),
        },
      });
    }
  } catch (error) {
    signal.throwIfAborted();
    failure = failureOf(error, {
      record: big.info.record ?? images.record,
      path: images.path,
      region: big.info.region,
    });
  }
  const relocate = arena.settle();
  return {
    chunks: chunks.map((c) => {
      const data = relocate(c.data);
      return data === c.data ? c : { ...c, data };
    }),
    arenas: arena.blocks,
    freshBytes: arena.freshBytes,
    spareArenas: arena.spare,
    nextCall: call,
    finished,
    checkpoint,
    status,
    failure,
    ms: performance.now() - t0,
  };
}

/**
 * A small chunk's pixels as they may travel: views of the job's arena (shared memory), and arrays
 * that own their whole `ArrayBuffer`, go as they are; anything else (a view of the big chunk, of
 * other shared memory, of a larger buffer) is copied, so a transfer never drags or detaches
 * memory it should not.
 */
function standalone(data: Uint8Array, source: Uint8Array, arena: ChunkArena): Uint8Array {
  if (arena.owns(data)) return data;
  const b = data.buffer;
  const whole =
    !(b instanceof SharedArrayBuffer) &&
    b !== source.buffer &&
    data.byteOffset === 0 &&
    data.byteLength === b.byteLength;
  return whole ? data : data.slice();
}
