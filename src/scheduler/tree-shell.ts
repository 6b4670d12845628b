/**
 * The I/O shell of LightDL: feeds the pure scheduling machine with events as work completes and
 * carries out the commands it returns, with real jobs on the executor and plain FIFO buffers
 * whose lengths the machine bounds.
 *
 * - `load` runs a load job; its big chunk comes back in shared memory and stays on the slot.
 * - `grant` adds credit to the slot; one collect job per slot runs at a time, with a budget of
 *   the slot's whole credit, so its output always fits. Its small chunks come back cut into one
 *   block, which goes out again with a later collect job once they were all copied into batches
 *   (`recycle`).
 * - `stop` aborts the slot's running job; `merge`, `deliver` move small chunks along.
 *
 * Events are serialised: an event raised while commands are being carried out (a consumer that
 * asks for more from inside `next`, say) is queued and handled right after.
 *
 * @internal
 */
import type { SmallChunk } from '../collectors/small-chunk.js';
import {
  CollectorError,
  ImageError,
  JobTimeoutError,
  LightdlError,
  LoaderError,
  PatientSetAsideError,
  PatientsExhaustedError,
  WorkerExitedError,
  WorkerOutOfMemoryError,
} from '../errors.js';
import type { ErrorContext, ImageErrorCode } from '../errors.js';
import type { BigChunkInfo } from '../loaders/big-chunk.js';
import type { JobRunner } from '../pool/job-runner.js';
import { ArenaPool } from './internal/arena-pool.js';
import { SharedMemoryReclaimer } from './internal/shared-memory-reclaimer.js';
import { ChunkArena } from './internal/chunk-arena.js';
import { initialState } from './initial-state.js';
import { SCHEDULER_DEFAULTS } from './scheduler-defaults.js';
import { nextWakeAt } from './next-wake-at.js';
import type { FailureInfo } from './failure-info.js';
import type { FilledLightDLOptions } from './resolve-light-dl-options.js';
import type { SchedulerCommand, LoadCommand } from './scheduler-command.js';
import type { SchedulerEvent } from './scheduler-event.js';
import type { SchedulerState } from './scheduler-state.js';
import { step } from './step.js';
import type {
  CollectResult,
  LoadResult,
  SharedBigChunk,
  TreeFailure,
  TreeJob,
} from './tree-job.js';

/** Calls the shell makes to the outside. */
export interface ShellHooks {
  /** A small chunk for the consumer (within the demand it was given). */
  deliver(chunk: SmallChunk): void;
  /** A failure to report on the error stream (the loader goes on). */
  report(error: LightdlError): void;
  /** A big chunk was loaded. */
  loaded(info: BigChunkInfo, ms: number): void;
  /** The stream must end with this error once everything buffered is delivered. */
  end(error: unknown): void;
}

/** A tenure's runtime on a slot. */
interface SlotRun {
  readonly slot: number;
  readonly tenure: number;
  readonly patient: string;
  readonly abort: AbortController;
  attempt: number;
  index: number;
  big: SharedBigChunk | undefined;
  nextCall: number;
  credit: number;
  collecting: boolean;
  checkpoint: unknown;
  lastMessage: unknown;
}

const ABORTED = 'ERR_ABORTED';

/** Collect calls per job, per unit of budget, before a job returns even if it produced little. */
const CALLS_PER_BUDGET = 4;

/**
 * Shared memory (big chunks, small-chunk blocks) the main thread may receive without a full
 * garbage collection before it asks V8 for one (see `SharedMemoryReclaimer`).
 */
const RECLAIM_BUDGET_BYTES = 128 * 1024 * 1024;

export class TreeShell {
  readonly #options: FilledLightDLOptions<unknown>;
  readonly #runner: JobRunner<TreeJob, LoadResult | CollectResult>;
  readonly #hooks: ShellHooks;
  readonly #t0 = performance.now();
  readonly #runs = new Map<number, SlotRun>();
  /** Buffered small chunks per `slot:tenure`. */
  readonly #buffers = new Map<string, SmallChunk[]>();
  readonly #merged: SmallChunk[] = [];
  /**
   * Deliveries held back while a collect job's result is taken in, so that the slot's next job
   * is on its way to a worker before the consumer's side (collating a batch, say) runs.
   */
  #deferred: SmallChunk[] | undefined;
  /** The typed error of a failed tenure, until the machine's `error` command reports it. */
  readonly #failures = new Map<string, LightdlError>();
  readonly #statuses = new Map<string, unknown>();
  readonly #arenas: ArenaPool;
  readonly #reclaimer = new SharedMemoryReclaimer(RECLAIM_BUDGET_BYTES);
  /** The memory of finished big chunks that loaders allocated, for later loads. */
  readonly #bigBlocks: ArenaPool;
  #blocksReused = 0;
  #bigChunksReused = 0;
  #state: SchedulerState;
  #events: SchedulerEvent[] = [];
  #dispatching = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;
  #ended = false;
  #exhausted: string[] | undefined;
  #delivered = 0;
  #pulled = 0;

  constructor(
    options: FilledLightDLOptions<unknown>,
    runner: JobRunner<TreeJob, LoadResult | CollectResult>,
    hooks: ShellHooks,
  ) {
    this.#options = options;
    this.#runner = runner;
    this.#hooks = hooks;
    this.#state = initialState(options.scheduler);
    // Enough blocks for two full collect jobs: the steady state reuses, never hoards.
    this.#arenas = new ArenaPool(
      2 *
        Math.ceil(
          (options.scheduler.maxLengthQueueSmallChunk ??
            SCHEDULER_DEFAULTS.maxLengthQueueSmallChunk) / ChunkArena.BLOCK_CHUNKS,
        ),
    );
    // One per load that may be in flight: a finished big chunk waits for the next load.
    this.#bigBlocks = new ArenaPool(options.scheduler.maxInFlight ?? 1);
  }

  /** Loads whose loader got the memory of a finished big chunk from `allocate`. */
  get bigChunksReused(): number {
    return this.#bigChunksReused;
  }

  /**
   * A run lets go of its big chunk: its memory goes back to the loaders if a loader allocated it.
   * A collect job still running on it (a stopped tenure's) only reads it, and its result is
   * dropped, so the memory needs no waiting for it.
   */
  #retire(run: SlotRun): void {
    if (run.big !== undefined) this.#bigBlocks.release(run.big.pixels);
    run.big = undefined;
  }

  /** Collect jobs given reused blocks to cut into. */
  get blocksReused(): number {
    return this.#blocksReused;
  }

  /** Counts shared memory made on the main thread (a batch, say) towards the next full collection. */
  sharedMemoryMade(bytes: number): void {
    this.#reclaimer.received(bytes);
  }

  /** Times the shell asked V8 for a full collection to free shared memory. */
  get reclaimHints(): number {
    return this.#reclaimer.hints;
  }

  /**
   * The small chunks were copied out (into a batch, say) and their pixels are no longer needed:
   * the blocks they were cut into can go back to the workers once all of their chunks are.
   */
  recycle(chunks: readonly SmallChunk[]): void {
    for (const c of chunks) this.#arenas.release(c.data.buffer);
  }

  /** The machine's state (immutable). */
  get state(): SchedulerState {
    return this.#state;
  }

  /** Small chunks handed to the consumer so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Small chunks held by the shell now (slot buffers, merged queue, deliveries held back). */
  get buffered(): number {
    let n = this.#merged.length + (this.#deferred?.length ?? 0);
    for (const b of this.#buffers.values()) n += b.length;
    return n;
  }

  /** The last status each patient's collector set. */
  status(patient: string): unknown {
    return this.#statuses.get(patient);
  }

  /** Milliseconds since the shell was made. */
  now(): number {
    return performance.now() - this.#t0;
  }

  /** Starts scheduling. */
  start(): void {
    this.#dispatch({ type: 'start', now: this.now() });
  }

  /** Makes sure the consumer's outstanding demand is `wanted` small chunks. */
  demand(wanted: number): void {
    const outstanding = this.#pulled - this.#delivered;
    if (wanted > outstanding) {
      this.#pulled += wanted - outstanding;
      this.#dispatch({ type: 'pull', now: this.now(), count: wanted - outstanding });
    }
  }

  /** Sends a message to a patient's loader and collector. */
  message(patient: string, payload: unknown): void {
    this.#dispatch({ type: 'message', now: this.now(), patient, payload });
  }

  /** Stops everything: aborts running jobs, drops buffers, clears the timer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#dispatch({ type: 'close', now: this.now() });
    this.#shutdown();
  }

  #shutdown(): void {
    this.#closed = true;
    this.#clearTimer();
    this.#reclaimer.close();
    for (const run of this.#runs.values()) run.abort.abort(new Error('LightDL closed'));
    this.#runs.clear();
    this.#buffers.clear();
    this.#merged.length = 0;
  }

  // ── the event loop ────────────────────────────────────────────────────────

  #dispatch(event: SchedulerEvent): void {
    if (this.#closed) return;
    this.#events.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let e = this.#events.shift(); e !== undefined; e = this.#events.shift()) {
        // Time never goes back for the machine: a timer can fire up to a millisecond before its
        // time on the monotonic clock (libuv's loop clock counts whole milliseconds), and its tick
        // is stamped with the time it was due.
        if (e.now < this.#state.now) e = { ...e, now: this.#state.now };
        const { state, commands } = step(this.#state, e);
        this.#state = state;
        for (const command of commands) this.#execute(command);
        if (this.#closed) {
          this.#events = [];
          break;
        }
      }
    } finally {
      this.#dispatching = false;
    }
    if (!this.#closed) {
      this.#arm();
      this.#maybeEnd();
    }
  }

  #arm(): void {
    const at = nextWakeAt(this.#state);
    if (at === undefined || !Number.isFinite(at)) {
      this.#clearTimer();
      return;
    }
    if (this.#timer !== undefined && at === this.#timerAt) return;
    this.#clearTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        this.#dispatch({ type: 'tick', now: Math.max(this.now(), at) });
      },
      Math.max(0, at - this.now()),
    );
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Ends the stream once nothing deliverable is left after exhaustion. */
  #maybeEnd(): void {
    if (this.#exhausted === undefined || this.#ended || this.buffered > 0) return;
    this.#ended = true;
    this.#hooks.end(new PatientsExhaustedError(this.#exhausted));
  }

  // ── commands ──────────────────────────────────────────────────────────────

  #execute(command: SchedulerCommand): void {
    switch (command.type) {
      case 'load':
        return this.#load(command);
      case 'grant': {
        const run = this.#runs.get(command.slot);
        if (run === undefined || run.tenure !== command.tenure) return;
        run.credit += command.credit;
        return this.#pump(run);
      }
      case 'stop': {
        const run = this.#runs.get(command.slot);
        if (run !== undefined && run.tenure === command.tenure) {
          run.abort.abort(new Error(`Tenure ${command.tenure} stopped (${command.reason})`));
          this.#retire(run);
          this.#runs.delete(command.slot);
        }
        if (command.disposition === 'discard') {
          this.#buffers.delete(`${command.slot}:${command.tenure}`);
        }
        return;
      }
      case 'merge':
        for (const move of command.moves) {
          const key = `${move.slot}:${move.tenure}`;
          const buffer = this.#buffers.get(key);
          if (buffer === undefined || buffer.length < move.count) {
            throw new Error(
              `Internal: merge of ${move.count} from slot ${move.slot} tenure ${move.tenure}, which holds ${buffer?.length ?? 0}`,
            );
          }
          for (const chunk of buffer.splice(0, move.count)) this.#merged.push(chunk);
          if (buffer.length === 0) this.#buffers.delete(key);
        }
        return;
      case 'deliver':
        for (let i = 0; i < command.count; i++) {
          const chunk = this.#merged.shift();
          if (chunk === undefined) throw new Error('Internal: deliver past the merged queue');
          this.#delivered++;
          if (this.#deferred !== undefined) {
            this.#deferred.push(chunk);
            continue;
          }
          this.#hooks.deliver(chunk);
          if (this.#closed) return;
        }
        return;
      case 'deliverMessage': {
        const run = this.#runs.get(command.slot);
        if (run !== undefined && run.tenure === command.tenure) run.lastMessage = command.payload;
        return;
      }
      case 'error': {
        const key = `${command.slot}:${command.tenure}`;
        const cause = this.#failures.get(key);
        this.#failures.delete(key);
        if (cause instanceof LoaderError || cause instanceof CollectorError) {
          this.#hooks.report(cause);
          return;
        }
        const context: ErrorContext = {
          ...(cause?.context ?? {}),
          patient: command.patient,
          attempt: command.attempt,
        };
        const options = { cause: cause ?? failureError(command.cause) };
        this.#hooks.report(
          command.source === 'loader'
            ? new LoaderError(`Big-chunk loader failed: ${command.cause.message}`, context, options)
            : new CollectorError(
                `Small-chunk collector failed: ${command.cause.message}`,
                context,
                options,
              ),
        );
        return;
      }
      case 'setAside':
        this.#hooks.report(
          new PatientSetAsideError(
            command.failures,
            { patient: command.patient },
            { cause: failureError(command.cause) },
          ),
        );
        return;
      case 'exhausted':
        this.#exhausted = [...command.patients];
        return;
      case 'fatal':
        this.#hooks.end(
          new LoaderError(
            `Patient failed ${command.failures} times in a row and the failure policy is 'fail': ${command.cause.message}`,
            { patient: command.patient },
            { cause: failureError(command.cause) },
          ),
        );
        return;
      case 'closed':
        this.#shutdown();
        return;
      case 'idle':
        // The timer armed after this step wakes the machine at the next admission time.
        return;
    }
  }

  #load(command: LoadCommand): void {
    let run = this.#runs.get(command.slot);
    if (run === undefined || run.tenure !== command.tenure) {
      if (run !== undefined) {
        run.abort.abort(new Error('Replaced'));
        this.#retire(run);
      }
      run = {
        slot: command.slot,
        tenure: command.tenure,
        patient: command.patient,
        abort: new AbortController(),
        attempt: command.attempt,
        index: command.bigChunk,
        big: undefined,
        nextCall: 0,
        credit: 0,
        collecting: false,
        checkpoint: command.checkpoint,
        lastMessage: command.lastMessage,
      };
      this.#runs.set(command.slot, run);
    } else {
      run.index = command.bigChunk;
      this.#retire(run);
      run.nextCall = 0;
      run.credit = 0;
      run.attempt = command.attempt;
      run.checkpoint = command.checkpoint;
      run.lastMessage = command.lastMessage;
    }
    const current = run;
    const o = this.#options;
    const patient = o.patients.get(command.patient);
    if (patient === undefined) throw new Error(`Internal: unknown patient ${command.patient}`);
    const job: TreeJob = {
      kind: 'load',
      patient,
      tenure: command.tenure,
      index: command.bigChunk,
      seed: o.seed,
      checkpoint: command.checkpoint,
      lastMessage: command.lastMessage,
      loader: o.loader,
      reader: o.reader,
      reuse: this.#bigBlocks.take(),
    };
    const slotEvent = { slot: command.slot, tenure: command.tenure };
    this.#runner.run(job, { signal: current.abort.signal }).then(
      (result) => {
        const r = result as LoadResult;
        // A job that failed or was stopped may still be writing into its `reuse` memory: that
        // memory is dropped. One that succeeded without using it gives it back.
        if (r.ok && job.reuse !== undefined) {
          if (r.reused) this.#bigChunksReused++;
          else this.#bigBlocks.give(job.reuse);
        }
        if (r.ok) {
          // A finished big chunk's memory handed out again is not new shared memory.
          if (!r.reused) this.#reclaimer.received(r.big.pixels.byteLength);
          if (this.#runs.get(command.slot) === current && current.index === command.bigChunk) {
            current.big = r.big;
            if (r.allocated) this.#bigBlocks.track(r.big.pixels, 1);
            this.#hooks.loaded(r.big.info, r.ms);
          } else if (r.allocated) {
            this.#bigBlocks.give(r.big.pixels);
          }
          this.#dispatch({ type: 'loadSucceeded', now: this.now(), ...slotEvent });
        } else {
          this.#remember(slotEvent, 'load', command, r.failure);
          this.#dispatch({
            type: 'loadFailed',
            now: this.now(),
            ...slotEvent,
            error: { code: r.failure.code ?? 'ERR_LOADER_FAILED', message: r.failure.message },
          });
        }
      },
      (error: unknown) => this.#jobRejected(slotEvent, 'load', command.patient, current, error),
    );
  }

  /** Starts a collect job on the slot if it has a big chunk, credit, and none running. */
  #pump(run: SlotRun): void {
    if (run.collecting || run.big === undefined || run.credit <= 0) return;
    if (this.#runs.get(run.slot) !== run || this.#closed) return;
    const o = this.#options;
    const patient = o.patients.get(run.patient) as NonNullable<ReturnType<typeof o.patients.get>>;
    const budget = run.credit;
    const index = run.index;
    const arenas: SharedArrayBuffer[] = [];
    for (let n = 0; n < budget; n += ChunkArena.BLOCK_CHUNKS) {
      const block = this.#arenas.take();
      if (block === undefined) break;
      arenas.push(block);
    }
    if (arenas.length > 0) this.#blocksReused++;
    const job: TreeJob = {
      kind: 'collect',
      patient,
      tenure: run.tenure,
      index,
      seed: o.seed,
      checkpoint: run.checkpoint,
      lastMessage: run.lastMessage,
      collector: o.collector,
      reader: o.reader,
      big: run.big,
      startCall: run.nextCall,
      budget,
      maxCalls: budget * CALLS_PER_BUDGET + 16,
      arenas,
    };
    run.collecting = true;
    const slotEvent = { slot: run.slot, tenure: run.tenure };
    this.#runner.run(job, { signal: run.abort.signal }).then(
      (result) => {
        run.collecting = false;
        const r = result as CollectResult;
        // Blocks the workers made afresh are new shared memory; the reused ones are not, and
        // those it did not use are free again.
        this.#reclaimer.received(
          r.freshBytes ?? (r.arenas ?? []).reduce((sum, block) => sum + block.byteLength, 0),
        );
        for (const block of r.spareArenas ?? []) this.#arenas.give(block);
        if (this.#runs.get(run.slot) !== run || run.index !== index) return;
        this.#deferred = [];
        try {
          this.#collected(run, index, r);
        } finally {
          this.#flushDeferred();
        }
      },
      (error: unknown) => {
        run.collecting = false;
        this.#jobRejected(slotEvent, 'collect', run.patient, run, error);
      },
    );
  }

  /**
   * Hands the consumer the deliveries held back meanwhile, in order. Deliveries that the
   * consumer's code brings about meanwhile join the end of the list, so the order holds.
   */
  #flushDeferred(): void {
    const chunks = this.#deferred ?? [];
    for (let i = 0; i < chunks.length && !this.#closed; i++) this.#hooks.deliver(chunks[i]!);
    this.#deferred = undefined;
    if (!this.#closed) this.#maybeEnd();
  }

  /**
   * Takes in what a collect job cut from big chunk `index` of the slot's run. A run that ended
   * meanwhile keeps nothing (the machine counts its chunks as late). No collect job starts on the
   * slot while this runs (the events raised here can grant credit); one may at the end, if the
   * big chunk is not done.
   */
  #collected(run: SlotRun, index: number, r: CollectResult): void {
    const slotEvent = { slot: run.slot, tenure: run.tenure };
    const current = (): boolean => this.#runs.get(run.slot) === run && run.index === index;
    // The run is current on entry (the caller checks); events raised below may end it.
    run.collecting = true;
    run.nextCall = r.nextCall;
    if (r.finished || r.failure !== undefined) this.#retire(run);
    if (r.status !== undefined) this.#statuses.set(run.patient, r.status.value);
    // The checkpoint goes first: it cannot be lost to a swap that the chunks' event brings about.
    if (r.checkpoint !== undefined) {
      run.checkpoint = r.checkpoint.value;
      this.#dispatch({
        type: 'checkpoint',
        now: this.now(),
        ...slotEvent,
        value: r.checkpoint.value,
      });
    }
    const count = r.chunks.length;
    if (count > 0 && current()) {
      for (const block of r.arenas ?? []) {
        let inBlock = 0;
        for (const c of r.chunks) if (c.data.buffer === block) inBlock++;
        this.#arenas.track(block, inBlock);
      }
      const key = `${run.slot}:${run.tenure}`;
      let buffer = this.#buffers.get(key);
      if (buffer === undefined) this.#buffers.set(key, (buffer = []));
      for (const chunk of r.chunks) buffer.push(chunk);
      run.credit -= count;
    }
    if (count > 0) this.#dispatch({ type: 'chunkProduced', now: this.now(), ...slotEvent, count });
    run.collecting = false;
    if (!current()) return;
    if (r.failure !== undefined) {
      this.#remember(slotEvent, 'collect', run, r.failure);
      this.#dispatch({
        type: 'collectorFailed',
        now: this.now(),
        ...slotEvent,
        error: { code: r.failure.code ?? 'ERR_COLLECTOR_FAILED', message: r.failure.message },
      });
    } else if (r.finished) {
      run.credit = 0;
      this.#dispatch({ type: 'collectorFinished', now: this.now(), ...slotEvent });
    } else {
      this.#pump(run);
    }
  }

  /** A job rejected: cancelled by us, its worker died, it timed out, or the pool failed. */
  #jobRejected(
    slotEvent: { slot: number; tenure: number },
    stage: 'load' | 'collect',
    patient: string,
    run: SlotRun,
    error: unknown,
  ): void {
    if (this.#closed) return;
    const stale = this.#runs.get(slotEvent.slot) !== run;
    if (run.abort.signal.aborted || stale) {
      // Stopped by the machine: report the load's outcome so its in-flight unit is released.
      if (stage === 'load') {
        this.#dispatch({
          type: 'loadFailed',
          now: this.now(),
          ...slotEvent,
          error: { code: ABORTED, message: 'Load stopped' },
        });
      }
      return;
    }
    const code = error instanceof LightdlError ? error.code : 'ERR_JOB_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    const context: ErrorContext = { patient };
    const typed =
      error instanceof LightdlError
        ? error
        : new LightdlError('ERR_JOB_FAILED', message, context, { cause: error });
    this.#failures.set(`${slotEvent.slot}:${slotEvent.tenure}`, typed);
    if (error instanceof WorkerExitedError || error instanceof WorkerOutOfMemoryError) {
      this.#dispatch({
        type: 'workerExited',
        now: this.now(),
        ...slotEvent,
        error: { code, message },
      });
    } else if (stage === 'load' || error instanceof JobTimeoutError) {
      this.#dispatch({
        type: stage === 'load' ? 'loadFailed' : 'collectorFailed',
        now: this.now(),
        ...slotEvent,
        error: { code, message },
      });
    } else {
      this.#dispatch({
        type: 'collectorFailed',
        now: this.now(),
        ...slotEvent,
        error: { code, message },
      });
    }
  }

  /** Keeps the typed error of a user-code failure until the machine reports it. */
  #remember(
    slotEvent: { slot: number; tenure: number },
    stage: 'load' | 'collect',
    where: { patient: string; attempt: number },
    failure: TreeFailure,
  ): void {
    const context: ErrorContext = {
      patient: where.patient,
      attempt: where.attempt,
      ...(failure.record === undefined ? {} : { record: failure.record }),
      ...(failure.path === undefined ? {} : { path: failure.path }),
      ...(failure.region === undefined ? {} : { region: failure.region }),
    };
    const cause = causeOf(failure);
    const error =
      stage === 'load'
        ? new LoaderError(`Big-chunk loader failed: ${failure.message}`, context, { cause })
        : new CollectorError(`Small-chunk collector failed: ${failure.message}`, context, {
            cause,
          });
    this.#failures.set(`${slotEvent.slot}:${slotEvent.tenure}`, error);
  }
}

const IMAGE_ERROR_CODES: ReadonlySet<string> = new Set<ImageErrorCode>([
  'ERR_FILE_NOT_FOUND',
  'ERR_NOT_AN_IMAGE',
  'ERR_IMAGE_DECODE',
  'ERR_UNSUPPORTED_COMPRESSION',
  'ERR_UNSUPPORTED_FORMAT',
  'ERR_REGION_OUT_OF_BOUNDS',
  'ERR_EMPTY_IMAGE',
  'ERR_IMAGE_TOO_LARGE',
]);

/**
 * The underlying error of a user-code failure, rebuilt on this side of the thread boundary: an
 * {@link ImageError} (catchable by class) for a reader failure, else an `Error` with the
 * original name, message, stack and code.
 */
function causeOf(failure: TreeFailure): Error {
  let cause: Error;
  if (failure.code !== undefined && IMAGE_ERROR_CODES.has(failure.code)) {
    cause = new ImageError(failure.code as ImageErrorCode, failure.message, {
      ...(failure.path === undefined ? {} : { path: failure.path }),
      ...(failure.region === undefined ? {} : { region: failure.region }),
    });
  } else {
    cause = new Error(failure.message);
    cause.name = failure.name;
    if (failure.code !== undefined) (cause as Error & { code?: string }).code = failure.code;
  }
  if (failure.stack !== undefined) cause.stack = failure.stack;
  return cause;
}

function failureError(info: FailureInfo): Error {
  const e = new Error(info.message);
  (e as Error & { code?: string }).code = info.code;
  return e;
}
