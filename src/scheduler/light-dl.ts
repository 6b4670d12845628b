import { Observable, Subject } from 'rxjs';
import type { SmallChunk } from '../collectors/small-chunk.js';
import type { LightdlError } from '../errors.js';
import { ExecutorClosedError } from '../errors.js';
import { onAbort } from '../internal/abort.js';
import { expected } from '../internal/validate.js';
import { batch } from '../operators/batch.js';
import type { FlowProducer } from '../operators/flow-producer.js';
import { Flowable } from '../operators/flowable.js';
import { toAsyncIterable } from '../operators/to-async-iterable.js';
import { JobExecutor } from '../pool/job-executor.js';
import { drawPatchMap, type DrawPatchMapOptions } from '../stats/draw-patch-map.js';
import { collateBatch } from './collate-batch.js';
import { ServedLog } from '../stats/served-log.js';
import type { Batch } from './batch.js';
import type { LightDLOptions } from './light-dl-options.js';
import type { LightDLStats } from './light-dl-stats.js';
import type { LoadedBigChunk } from './loaded-big-chunk.js';
import { resolveLightDLOptions, type FilledLightDLOptions } from './resolve-light-dl-options.js';
import { initialState } from './initial-state.js';
import type { SchedulerState } from './scheduler-state.js';
import { schedulerStats } from './scheduler-stats.js';
import { ThreadPolicy } from './thread-policy.js';
import type { CollectResult, LoadResult, ResolvedSpec, TreeJob } from './tree-job.js';
import { PRELOAD_ENV } from './internal/preload-env.js';
import { TreeShell } from './tree-shell.js';

/** The user modules among the loader and collector, for workers to load when they start. */
function preloads(...specs: readonly ResolvedSpec[]): { href: string; export: string }[] {
  const out: { href: string; export: string }[] = [];
  for (const s of specs) if (s.kind === 'module') out.push({ href: s.href, export: s.export });
  return out;
}

const WORKER_MODULE = new URL(
  import.meta.url.endsWith('.ts') ? './tree-worker.ts' : './tree-worker.js',
  import.meta.url,
);

/**
 * PyDmed's LightDL for TypeScript: keeps `numBigChunkLoaders` patients active, loads a big chunk
 * of each on a worker pool, cuts small chunks out of it, merges the patients' bounded queues
 * round-robin and delivers batches, swapping one patient every `rescheduleIntervalMs`.
 *
 * @remarks
 * **Consuming.** Iterate it (`for await (const batch of dl)`), or subscribe to one of its
 * Observables: `batches$` (collated batches), `smallChunks$` (single small chunks). Both are
 * demand-driven ({@link Flowable}): nothing is loaded or cut past the configured queue bounds,
 * whatever the consumer's pace. One consumer at a time; work starts at the first subscription.
 * `bigChunks$` (loaded big chunks' info; pixels stay in shared memory), `errors$` (every reported
 * failure) and `stats$` (periodic {@link LightDLStats}) are side streams.
 *
 * **Scheduling.** A pure state machine (see `step`) decides which patients are active (never two
 * collectors on one patient), when to swap, how much each collector may produce and what happens
 * on failure; this class carries out its decisions. Patients are admitted by the `policy`.
 *
 * **Failures.** A loader or collector that throws, whose worker dies or that times out is
 * reported on `errors$` as a `LoaderError`/`CollectorError` naming the patient, record and region;
 * its slot is refilled with another patient at once; the failing patient backs off and, after
 * `failure.maxConsecutiveFailures`, is set aside (`PatientSetAsideError`). If every patient is set
 * aside, the stream ends with `PatientsExhaustedError` once buffered chunks are delivered.
 *
 * **Ending.** `close()`, aborting `signal`, or leaving the consumer (`break`, unsubscribe)
 * stops everything: running jobs are aborted, workers terminated, timers cleared.
 *
 * @typeParam B - The batch type (the default collation gives {@link Batch}).
 * @example
 * ```ts
 * const dl = new LightDL({
 *   dataset,
 *   bigChunkLoader: randomRegion({ level: 0, width: 2048, height: 2048 }),
 *   smallChunkCollector: randomPatches({ width: 224, height: 224, perBigChunk: 64 }),
 *   numBigChunkLoaders: 4, maxLengthQueueSmallChunk: 64, maxLengthQueueLightDL: 512,
 *   rescheduleIntervalMs: 2000, batchSize: 32, seed: 1,
 * });
 * for await (const batch of dl) {
 *   console.log(batch.shape, batch.smallChunks[0]?.patient);
 *   if (batch.index === 9) break;
 * }
 * await dl.close();
 * ```
 */
export class LightDL<B = Batch> implements AsyncIterable<B>, AsyncDisposable {
  readonly #options: FilledLightDLOptions<B>;
  readonly #bigChunks = new Subject<LoadedBigChunk>();
  readonly #errors = new Subject<LightdlError>();
  /** Completes once the loader is closed. */
  readonly #closed = new Subject<void>();
  readonly #log: ServedLog;
  readonly #threads: ThreadPolicy;
  readonly #smallChunks: Flowable<SmallChunk>;
  readonly #batches: Flowable<B>;
  #executor: JobExecutor<TreeJob, LoadResult | CollectResult> | undefined;
  #shell: TreeShell | undefined;
  #consumer = false;
  #startedAt: number | undefined;
  #firstChunkMs: number | undefined;
  #batchesDelivered = 0;
  /** Memory of released batches, for later ones (see `release`). */
  readonly #batchMemory: Uint8Array[] = [];
  /** The `data` of every batch the built-in collate made and that was not released since. */
  readonly #issued = new WeakSet<Uint8Array>();
  #batchesReused = 0;
  #bigChunksLoaded = 0;
  #loadMsTotal = 0;
  #errorCount = 0;
  #maintenance: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #endStream: ((error: unknown, natural: boolean) => void) | undefined;
  #endError: { readonly error: unknown } | undefined;
  #disposeAbort: () => void = () => {};
  #initial: SchedulerState | undefined;
  readonly #pendingMessages: [string, unknown][] = [];

  /**
   * @param options - See {@link LightDLOptions}.
   * @throws TypeError / RangeError at once for invalid options (house message shape).
   */
  constructor(options: LightDLOptions<B>) {
    this.#options = resolveLightDLOptions(options);
    this.#log = new ServedLog(this.#options.servedLogSize);
    this.#threads = new ThreadPolicy(this.#options);
    this.#smallChunks = new Flowable<SmallChunk>(this.#produce(false));
    const batched = batch<SmallChunk, B>(this.#options.batchSize, {
      collate: (chunks, index) => {
        const b =
          (this.#options.collate as unknown) === collateBatch
            ? (this.#collateReusing(chunks, index) as B)
            : this.#options.collate(chunks, index);
        this.#batchesDelivered++;
        // A batch in shared memory is invisible to V8's collections like the chunks it came from.
        const data = (b as { data?: unknown }).data;
        if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
          this.#shell?.sharedMemoryMade(data.byteLength);
        }
        // The built-in collate copies every pixel: the chunks' memory can be reused. A custom
        // one may keep views of it, so its chunks are left alone.
        if ((this.#options.collate as unknown) === collateBatch) this.#shell?.recycle(chunks);
        return b;
      },
      emitPartial: this.#options.emitPartialBatch,
    })(new Flowable<SmallChunk>(this.#produce(true)));
    // The batch stage emits its last partial batch on completion only: the chunk stream under it
    // completes when the loader ends by itself, and the error it ended with is raised after it.
    this.#batches = new Flowable<B>((sink, demand) => {
      let forwarded = 0;
      const upstream = batched.subscribeWithDemand({
        next: (b) => sink.next(b),
        error: (error: unknown) => sink.error(error),
        complete: () => {
          if (this.#endError === undefined) sink.complete();
          else sink.error(this.#endError.error);
        },
      });
      demand.onRequest(() => {
        const total = demand.requested;
        if (total > forwarded) {
          upstream.request(total === Infinity ? Infinity : total - forwarded);
          forwarded = total;
        }
      });
      return upstream;
    });
    const signal = this.#options.signal;
    if (signal !== undefined) {
      this.#disposeAbort = onAbort(signal, (reason) => {
        this.#endStream?.(reason, false);
        void this.close();
      });
    }
  }

  /**
   * The producer of the small-chunk stream. When the loader ends by itself (every patient set
   * aside, or a fatal failure), a `completeOnEnd` stream completes and keeps the error for the
   * stage above; otherwise it fails with it.
   */
  #produce(completeOnEnd: boolean): FlowProducer<SmallChunk> {
    return (sink, demand) => {
      const signal = this.#options.signal;
      if (signal?.aborted === true) {
        sink.error(signal.reason);
        return undefined;
      }
      if (this.#closing !== undefined) {
        sink.error(new ExecutorClosedError('The LightDL loader is closed'));
        return undefined;
      }
      if (this.#consumer) {
        sink.error(
          new TypeError(
            'Expected one consumer of a LightDL at a time, got a second subscription while the first is active',
          ),
        );
        return undefined;
      }
      this.#consumer = true;
      const window = this.#options.scheduler.maxLengthQueueLightDL ?? 512;
      let topUpQueued = false;
      const topUp = (): void => {
        topUpQueued = false;
        if (!sink.closed) this.#shell?.demand(Math.min(demand.credit, window));
      };
      this.#endStream = (error, natural) => {
        if (natural && completeOnEnd) {
          this.#endError = { error };
          sink.complete();
        } else {
          sink.error(error);
        }
      };
      this.#start({
        deliver: (delivered) => {
          this.#firstChunkMs ??= performance.now() - (this.#startedAt ?? 0);
          let chunk = delivered;
          // A small chunk handed out on its own gets pixels of its own: its shared block goes
          // back to the workers. Chunks bound for batches are released once collated.
          if (!completeOnEnd && chunk.data.buffer instanceof SharedArrayBuffer) {
            chunk = { ...chunk, data: chunk.data.slice() };
            this.#shell?.recycle([delivered]);
          }
          const d = chunk.info.parent.downsample;
          this.#log.push({
            patient: chunk.info.patient,
            level: chunk.info.level,
            x: chunk.info.x,
            y: chunk.info.y,
            width: chunk.info.width,
            height: chunk.info.height,
            ...(d === undefined ? {} : { downsample: d }),
          });
          sink.next(chunk);
          // Demand past the merged-queue window is passed on as deliveries make room for it.
          if (!topUpQueued) {
            topUpQueued = true;
            queueMicrotask(topUp);
          }
        },
      });
      demand.onRequest(topUp);
      return () => {
        this.#consumer = false;
        void this.close();
      };
    };
  }

  /** Collated batches, demand-driven; subscribing starts the loader. */
  get batches$(): Flowable<B> {
    return this.#batches;
  }

  /** Single small chunks, demand-driven; subscribing starts the loader. */
  get smallChunks$(): Flowable<SmallChunk> {
    return this.#smallChunks;
  }

  /**
   * Info of every big chunk loaded (patient, record, region, tenure, load time). The pixels stay
   * in shared memory for the collectors. Hot: subscribe before consuming to see them all.
   */
  get bigChunks$(): Observable<LoadedBigChunk> {
    return this.#bigChunks.asObservable();
  }

  /** Every failure reported while the loader keeps going (`LoaderError`, `CollectorError`, `PatientSetAsideError`, `PlatformUnsupportedError`). */
  get errors$(): Observable<LightdlError> {
    return this.#errors.asObservable();
  }

  /**
   * A {@link LightDLStats} snapshot every `statsIntervalMs` while subscribed (the timer does not
   * keep the process alive); once the loader is closed, emits a last snapshot and completes.
   */
  get stats$(): Observable<LightDLStats> {
    return new Observable<LightDLStats>((subscriber) => {
      if (this.#closing !== undefined) {
        subscriber.next(this.stats());
        subscriber.complete();
        return undefined;
      }
      const timer = setInterval(() => subscriber.next(this.stats()), this.#options.statsIntervalMs);
      timer.unref();
      // A last snapshot, then completion, as soon as the loader is closed.
      const closed = this.#closed.subscribe({
        complete: () => {
          subscriber.next(this.stats());
          subscriber.complete();
        },
      });
      return () => {
        clearInterval(timer);
        closed.unsubscribe();
      };
    });
  }

  /** The bounded log of served samples (positions only), for patch maps and audits. */
  get servedLog(): ServedLog {
    return this.#log;
  }

  /**
   * Iterates collated batches, reading at most `prefetchBatches` ahead. `break` closes the loader.
   *
   * @returns A bounded async iterator of batches.
   */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    return toAsyncIterable(this.#batches, { highWaterMark: this.#options.prefetchBatches });
  }

  /**
   * Gives a batch's memory back, to be written over by a later batch instead of allocating one:
   * call it once you are done with the batch (its pixels copied into a tensor, say).
   *
   * @remarks
   * A steady state that releases every batch allocates no batch memory at all. That saves more
   * than the allocation: each batch is a fresh `ArrayBuffer` of N × H × W × C bytes that V8
   * counts as external memory, so a stream of them makes the main thread run full garbage
   * collections, the dearer the bigger its heap (see the README's benchmarks).
   *
   * After `release`, the batch's `data` may change at any time: do not read it again. Only
   * batches of the built-in collate are taken back, each once, and at most `prefetchBatches + 2`
   * are kept (others are left to the garbage collector); batches of a custom `collate`, a batch
   * released twice or one from another loader are refused.
   *
   * @param batch - A batch this loader delivered.
   * @returns Whether its memory was taken back.
   * @example
   * ```ts
   * declare const dl: LightDL;
   * declare function train(pixels: Float32Array): Promise<void>;
   * for await (const batch of dl) {
   *   const xs = Float32Array.from(batch.data, (v) => v / 255); // a copy of the pixels
   *   dl.release(batch);
   *   await train(xs);
   * }
   * ```
   */
  release(batch: B): boolean {
    const data = (batch as { readonly data?: unknown } | null | undefined)?.data;
    if (!(data instanceof Uint8Array) || !this.#issued.has(data)) return false;
    this.#issued.delete(data);
    if (this.#closing !== undefined) return false;
    if (this.#batchMemory.length >= this.#options.prefetchBatches + 2) return false;
    this.#batchMemory.push(data);
    return true;
  }

  /**
   * Sends a message to a patient's loader and collector: delivered to the running tenure (seen
   * from its next job on as `context.lastMessage`) or kept for the patient's next tenure.
   *
   * @param patientId - The patient.
   * @param message - Any structured-cloneable value; a copy is taken at once, so later changes to
   *   the value do not reach the patient.
   * @throws TypeError for an unknown patient or a message that cannot be cloned.
   */
  sendMessage(patientId: string, message: unknown): void {
    if (!this.#options.patients.has(patientId)) {
      throw new TypeError(expected('patientId', 'the id of a patient of the dataset', patientId));
    }
    let copy: unknown;
    try {
      copy = structuredClone(message);
    } catch (error) {
      throw new TypeError(expected('message', 'structured-cloneable', message), { cause: error });
    }
    if (this.#shell === undefined) {
      this.#pendingMessages.push([patientId, copy]);
      return;
    }
    this.#shell.message(patientId, copy);
  }

  /**
   * The last status a patient's collector set with `context.setStatus`, or `undefined`.
   *
   * @param patientId - The patient.
   * @returns The status.
   */
  status(patientId: string): unknown {
    return this.#shell?.status(patientId);
  }

  /**
   * An immutable snapshot of throughput, queues, scheduling and the pool.
   *
   * @returns The snapshot.
   */
  stats(): LightDLStats {
    const elapsedMs = this.#startedAt === undefined ? 0 : performance.now() - this.#startedAt;
    const delivered = this.#shell?.delivered ?? 0;
    return Object.freeze({
      elapsedMs,
      started: this.#startedAt !== undefined,
      closed: this.#closing !== undefined,
      smallChunksDelivered: delivered,
      batchesDelivered: this.#batchesDelivered,
      smallChunksPerSecond: elapsedMs > 0 ? (delivered * 1000) / elapsedMs : 0,
      firstChunkMs: this.#firstChunkMs,
      buffered: this.#shell?.buffered ?? 0,
      bigChunksLoaded: this.#bigChunksLoaded,
      meanLoadMs: this.#bigChunksLoaded === 0 ? 0 : this.#loadMsTotal / this.#bigChunksLoaded,
      errors: this.#errorCount,
      blocksReused: this.#shell?.blocksReused ?? 0,
      batchesReused: this.#batchesReused,
      reclaimHints: this.#shell?.reclaimHints ?? 0,
      bigChunksReused: this.#shell?.bigChunksReused ?? 0,
      scheduler: schedulerStats(
        this.#shell?.state ?? (this.#initial ??= initialState(this.#options.scheduler)),
      ),
      pool: this.#executor?.report(),
    });
  }

  /**
   * A readable multi-line summary of {@link LightDL.stats}.
   *
   * @returns The summary.
   */
  summary(): string {
    const s = this.stats();
    const c = s.scheduler.counters;
    const lines = [
      `LightDL: ${s.smallChunksDelivered} small chunks in ${s.batchesDelivered} batches over ${(s.elapsedMs / 1000).toFixed(1)} s (${s.smallChunksPerSecond.toFixed(0)}/s), first after ${s.firstChunkMs === undefined ? '–' : `${s.firstChunkMs.toFixed(0)} ms`}`,
      `  big chunks: ${s.bigChunksLoaded} loaded, mean ${s.meanLoadMs.toFixed(1)} ms; buffered small chunks: ${s.buffered}`,
      `  small chunks produced ${c.produced}, delivered ${c.delivered}, drained after swaps ${c.drained}, dropped ${c.dropped.swap + c.dropped.failure + c.dropped.close} (swap ${c.dropped.swap}, failure ${c.dropped.failure}, close ${c.dropped.close}); swaps ${c.swaps}; errors ${s.errors}`,
      `  patients: ${s.scheduler.patients
        .map((p) => `${p.id}×${p.timesScheduled}${p.setAside ? ' (set aside)' : ''}`)
        .join(', ')}`,
    ];
    if (s.pool !== undefined) {
      lines.push(
        `  pool: ${s.pool.workerCount} workers, ${s.pool.completed} jobs, ${s.pool.failed} failed, ${s.pool.restarts} restarts`,
      );
    }
    return lines.join('\n');
  }

  /**
   * Draws where the served patches of a patient were taken, on a thumbnail of its slide (PNG).
   *
   * @param patientId - The patient.
   * @param outPath - The PNG to write.
   * @param options - Size, colour, signal.
   * @returns The picture's size.
   * @throws TypeError for an unknown patient or one without records.
   */
  async drawPatchMap(
    patientId: string,
    outPath: string,
    options?: DrawPatchMapOptions,
  ): Promise<{
    /** Width of the picture in pixels. */
    width: number;
    /** Height of the picture in pixels. */
    height: number;
  }> {
    const patient = this.#options.patients.get(patientId);
    const record = patient?.records[0];
    if (record === undefined) {
      throw new TypeError(expected('patientId', 'the id of a patient with a record', patientId));
    }
    return drawPatchMap(record.path, this.#log.forPatient(patientId), outPath, options);
  }

  /**
   * Stops everything: aborts running jobs, terminates the workers, clears timers. Idempotent;
   * every call returns the same promise.
   *
   * @returns Resolves once the workers are gone.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Same as {@link LightDL.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#disposeAbort();
    this.#batchMemory.length = 0;
    if (this.#maintenance !== undefined) clearInterval(this.#maintenance);
    this.#shell?.close();
    this.#bigChunks.complete();
    this.#errors.complete();
    try {
      await this.#executor?.close({ timeoutMs: 1000 });
    } finally {
      this.#closed.complete();
    }
  }

  /** The built-in collate, into a released batch's memory when one of the right size is kept. */
  #collateReusing(chunks: SmallChunk[], index: number): Batch {
    const first = chunks[0];
    const bytes =
      first === undefined ? 0 : first.width * first.height * first.channels * chunks.length;
    const at = this.#batchMemory.findIndex((m) => m.length === bytes);
    const into = at < 0 ? undefined : this.#batchMemory.splice(at, 1)[0];
    const b = collateBatch(chunks, index, into);
    if (into !== undefined) this.#batchesReused++;
    this.#issued.add(b.data);
    return b;
  }

  #report(error: LightdlError): void {
    this.#errorCount++;
    this.#errors.next(error);
  }

  #start(hooks: { deliver(chunk: SmallChunk): void }): void {
    if (this.#shell !== undefined) return;
    const o = this.#options;
    this.#startedAt = performance.now();
    const workers = o.workers;
    const slots = o.scheduler.numBigChunkLoaders ?? 4;
    this.#executor = new JobExecutor<TreeJob, LoadResult | CollectResult>({
      module: WORKER_MODULE,
      workers,
      maxQueue: 2 * slots + 2,
      // Loads and collects differ a hundredfold in length: a job handed to a worker ahead would
      // wait behind a load while another worker is free.
      prefetch: false,
      seed: o.seed,
      timeoutMs: o.jobTimeoutMs,
      maxRetries: o.maxRetries,
      debug: o.debug,
      env: { [PRELOAD_ENV]: JSON.stringify(preloads(o.loader, o.collector)) },
    });
    this.#shell = new TreeShell(o, this.#executor, {
      deliver: (chunk) => hooks.deliver(chunk),
      report: (error) => this.#report(error),
      loaded: (info, ms) => {
        this.#bigChunksLoaded++;
        this.#loadMsTotal += ms;
        this.#bigChunks.next({ ...info, loadMs: ms });
        if (this.#bigChunksLoaded === 1) this.#applyThreadPolicy();
      },
      end: (error) => {
        this.#endStream?.(error, true);
        void this.close();
      },
    });
    for (const [patient, message] of this.#pendingMessages.splice(0)) {
      this.#shell.message(patient, message);
    }
    if (this.#threads.active) {
      this.#maintenance = setInterval(() => this.#applyThreadPolicy(), o.statsIntervalMs);
      this.#maintenance.unref();
      this.#applyThreadPolicy();
    }
    this.#shell.start();
  }

  #applyThreadPolicy(): void {
    void this.#threads.apply().then((error) => {
      if (error !== undefined && this.#closing === undefined) this.#report(error);
    });
  }
}
