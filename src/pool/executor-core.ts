/**
 * The executor's state machine: admission against capacity, the queue, dispatch to the backend,
 * retries, timeouts, aborts, sessions and closing. `JobExecutor` is its public face.
 *
 * Invariants: `#occupied` (jobs admitted and not released) never exceeds `workers + maxQueue`;
 * `#running` (jobs dispatched and not returned) never exceeds `workers`; a job releases its place
 * only when its worker is free again, even if its caller was answered earlier (abort, timeout);
 * every job is settled exactly once.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import type { Observable, Subject } from 'rxjs';
import {
  ExecutorClosedError,
  JobTimeoutError,
  SessionResetError,
  WorkerExitedError,
  WorkerModuleError,
} from '../errors.js';
import { onAbortShared } from '../internal/abort.js';
import { rxjs } from '../internal/rxjs-on-demand.js';
import type { Backend, BackendEvents, WorkerFailure } from './backend.js';
import type { CoreJob, Settlement } from './core-job.js';
import { buildReport, type ExecutorCounts } from './build-report.js';
import type { ExecutorReport } from './executor-report.js';
import type { JobOutcome } from './job-outcome.js';
import { deathError, messageOf, settlementOfReply, type SettlementKind } from './job-errors.js';
import { JobQueue } from './job-queue.js';
import { KeepAlive } from './keep-alive.js';
import { AbortCode, type ReplyMessage } from './protocol.js';
import type { ResolvedExecutorOptions } from './resolve-options.js';
import { TimingWindow } from './timing-window.js';

/** A job as submitted (options already validated). */
export interface Submission {
  readonly input: unknown;
  readonly transfer: readonly TransferListItem[];
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  readonly index: number | undefined;
  readonly onSettle: (settlement: Settlement, id: number | undefined) => void;
}

/** The executor's engine. */
export class ExecutorCore {
  readonly #options: ResolvedExecutorOptions;
  readonly #backend: Backend;
  readonly #capacity: number;
  readonly #waiters = new JobQueue<CoreJob>();
  readonly #queue = new JobQueue<CoreJob>();
  readonly #active = new Set<CoreJob>();
  readonly #freeSlots: number[];
  /** Made when `results$` is first asked for: until then no outcome has anyone to go to. */
  #results: Subject<JobOutcome<unknown>> | undefined;
  readonly #waitTimes = new TimingWindow();
  readonly #runTimes = new TimingWindow();
  readonly #perWorker: { completed: number; failed: number }[];
  #nextId = 1;
  #session = 0;
  #occupied = 0;
  readonly #counts: ExecutorCounts = {
    completed: 0,
    failed: 0,
    cancelled: 0,
    retried: 0,
    timedOut: 0,
  };
  readonly #keepAlive = new KeepAlive();
  #state: 'open' | 'closing' | 'closed' = 'open';
  #broken: WorkerModuleError | undefined;
  #onIdle: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    options: ResolvedExecutorOptions,
    createBackend: (options: ResolvedExecutorOptions, events: BackendEvents) => Backend,
  ) {
    this.#options = options;
    this.#capacity = options.workers + options.maxQueue;
    this.#perWorker = Array.from({ length: options.workers }, () => ({ completed: 0, failed: 0 }));
    this.#backend = createBackend(options, { onBroken: (cause) => this.#breakDown(cause) });
    const slots = this.#backend.dispatchSlots;
    this.#freeSlots = Array.from({ length: slots }, (_, i) => slots - 1 - i);
  }

  /** Outcomes of the current session's jobs, in completion order. */
  get results$(): Observable<JobOutcome<unknown>> {
    if (this.#results === undefined) {
      this.#results = new (rxjs().Subject)<JobOutcome<unknown>>();
      if (this.#state === 'closed') this.#results.complete();
    }
    return this.#results.asObservable();
  }

  /** `workers + maxQueue`. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Submits a job. With `wait`, a full executor queues the caller; without, a full executor
   * refuses (returns `false`). Settles through `submission.onSettle`, exactly once.
   */
  submit(submission: Submission, wait: boolean): boolean {
    return this.#enter(submission, wait) !== false;
  }

  /**
   * Submits a job that waits for room, and returns what aborts it with a reason (as an abort of
   * its signal would). `map()` and `runAll()` stop their pending jobs with it rather than with an
   * `AbortSignal` of their own: Node gives every `AbortSignal` a hidden class of its own, so code
   * that meets a new signal on every call is deoptimized on every call.
   */
  submitCancellable(submission: Submission): (reason: unknown) => void {
    const job = this.#enter(submission, true);
    if (job === false || job === undefined) return () => {};
    return (reason) => this.#abort(job, reason, AbortCode.aborted);
  }

  /** Takes a job in: the job, `undefined` if it was answered at once, `false` if refused for room. */
  #enter(submission: Submission, wait: boolean): CoreJob | undefined | false {
    const refusal = this.refusal();
    if (refusal !== undefined) {
      submission.onSettle({ ok: false, error: refusal }, undefined);
      return undefined;
    }
    if (!wait && this.#occupied >= this.#capacity) return false;
    const job: CoreJob = {
      id: this.#nextId++,
      index: submission.index,
      session: this.#session,
      input: submission.input,
      transfer: submission.transfer,
      timeoutMs: submission.timeoutMs,
      onSettle: submission.onSettle,
      attempt: 1,
      phase: 'waiting',
      settled: false,
      admittedAt: 0,
      dispatch: undefined,
      slot: -1,
      timer: undefined,
      graceTimer: undefined,
      unlisten: () => {},
    };
    if (submission.signal?.aborted === true) {
      this.#settle(job, 'cancelled', { ok: false, error: submission.signal.reason });
      return undefined;
    }
    job.unlisten = onAbortShared(submission.signal, (reason) =>
      this.#abort(job, reason, AbortCode.aborted),
    );
    if (this.#occupied < this.#capacity) this.#admit(job);
    else this.#waiters.pushBack(job);
    this.#pump();
    return job;
  }

  /** Starts a new session: drops waiting and queued jobs, aborts running ones (`SessionResetError`). */
  reset(): void {
    if (this.#state !== 'open') return;
    this.#session++;
    for (const job of this.#waiters.drain()) {
      this.#settle(job, 'cancelled', { ok: false, error: new SessionResetError({ job: job.id }) });
    }
    for (const job of this.#queue.drain()) {
      this.#release(job);
      this.#settle(job, 'cancelled', { ok: false, error: new SessionResetError({ job: job.id }) });
    }
    for (const job of [...this.#active]) {
      if (job.settled) continue;
      this.#abortRunning(job, new SessionResetError(this.#context(job)), AbortCode.reset);
    }
    this.#updateKeepAlive();
  }

  /** Closes: refuses new jobs, drops waiting and queued ones, lets running ones finish up to `timeoutMs`, then terminates. */
  close(timeoutMs: number): Promise<void> {
    this.#closing ??= this.#close(timeoutMs);
    return this.#closing;
  }

  report(): ExecutorReport {
    // Jobs handed over ahead count as queued until a worker starts them; one already answered
    // (aborted, reset) only waits to be skipped there.
    let running = 0;
    let ahead = 0;
    for (const job of this.#active) {
      if (this.#backend.workerOf(job.id) !== undefined) running++;
      else if (!job.settled) ahead++;
    }
    return buildReport({
      state: this.#broken !== undefined && this.#state === 'open' ? 'broken' : this.#state,
      session: this.#session,
      workerCount: this.#options.workers,
      maxQueue: this.#options.maxQueue,
      waiting: this.#waiters.size,
      queued: this.#queue.size + ahead,
      running,
      counts: this.#counts,
      restarts: this.#backend.restarts(),
      liveWorkers: this.#backend.liveWorkers(),
      slots: this.#backend.slots(),
      perWorker: this.#perWorker,
      waitMs: this.#waitTimes.summary(),
      runMs: this.#runTimes.summary(),
    });
  }

  // ── admission and dispatch ─────────────────────────────────────────────────

  /** Why a new job would be refused right now (closing, closed or broken), if it would. */
  refusal(): Error | undefined {
    if (this.#state !== 'open') return new ExecutorClosedError();
    return this.#broken;
  }

  #admit(job: CoreJob): void {
    this.#occupied++;
    job.phase = 'queued';
    job.admittedAt = performance.now();
    this.#queue.pushBack(job);
    this.#updateKeepAlive();
  }

  #release(job: CoreJob): void {
    this.#occupied--;
    job.phase = 'done';
    while (this.#occupied < this.#capacity && this.#waiters.size > 0) {
      this.#admit(this.#waiters.shift()!);
    }
    this.#updateKeepAlive();
  }

  #pump(): void {
    while (this.#freeSlots.length > 0 && this.#queue.size > 0) {
      this.#dispatch(this.#queue.shift()!);
    }
  }

  #dispatch(job: CoreJob): void {
    const slot = this.#freeSlots.pop()!;
    job.slot = slot;
    job.phase = 'running';
    this.#active.add(job);
    this.#backend.clearAbort(slot);
    const dispatch = this.#backend.dispatch(
      { j: job.id, a: job.attempt, d: slot, i: job.input },
      job.attempt === 1 ? job.transfer : [],
    );
    job.dispatch = dispatch;
    if (Number.isFinite(job.timeoutMs)) {
      job.timer = setTimeout(() => this.#timeOut(job), job.timeoutMs);
      job.timer.unref();
    }
    dispatch.done.then(
      (reply) => this.#onReply(job, reply),
      (failure: WorkerFailure) => this.#onFailure(job, failure),
    );
  }

  /** The job's worker is free again (it replied, died, or was stopped). */
  #returned(job: CoreJob): void {
    clearTimeout(job.timer);
    clearTimeout(job.graceTimer);
    job.timer = undefined;
    job.graceTimer = undefined;
    job.dispatch = undefined;
    this.#active.delete(job);
    this.#freeSlots.push(job.slot);
  }

  #onReply(job: CoreJob, reply: ReplyMessage): void {
    this.#returned(job);
    if (reply.ok || reply.k === 'job') {
      this.#runTimes.add(reply.t);
      this.#waitTimes.add(Math.max(0, performance.now() - job.admittedAt - reply.t));
      const counts = this.#perWorker[reply.w];
      if (counts !== undefined && reply.ok) counts.completed++;
      else if (counts !== undefined) counts.failed++;
    }
    const { kind, settlement } = settlementOfReply(reply, job, this.#options.module);
    this.#settle(job, kind, settlement);
    this.#finish(job);
  }

  #onFailure(job: CoreJob, failure: WorkerFailure): void {
    this.#returned(job);
    const context = {
      ...(failure.worker === undefined ? {} : { worker: failure.worker }),
      job: job.id,
      attempt: job.attempt,
    };
    switch (failure.kind) {
      case 'exited':
      case 'crashed':
      case 'out-of-memory': {
        if (this.#retryable(job)) {
          job.attempt++;
          this.#counts.retried++;
          job.phase = 'queued';
          job.admittedAt = performance.now();
          this.#queue.pushFront(job);
          this.#pump();
          return;
        }
        const error = deathError(failure.kind, failure.exitCode, failure.cause, context);
        this.#settle(job, 'failed', { ok: false, error });
        break;
      }
      case 'terminated':
        this.#cancelUnrunnable(job, 'The executor closed before the job finished', context);
        break;
      case 'unsent':
        this.#settle(job, 'failed', { ok: false, error: failure.cause });
        break;
      case 'unstarted': {
        // Handed over ahead to a worker that died before starting it: it never ran, so it goes
        // back to the front of the queue without counting an attempt.
        if (job.settled) break;
        if (this.#state !== 'open' || this.#broken !== undefined) {
          this.#cancelUnrunnable(job, 'The executor closed before the job started', context);
          break;
        }
        if (job.transfer.length > 0 && this.#options.runtime === 'thread') {
          // Its input was moved to the dead worker: there is nothing left to send again.
          const error = new WorkerExitedError(
            "The worker holding the job's moved input died before starting it",
            context,
            failure.exitCode,
            { cause: failure.cause },
          );
          this.#settle(job, 'failed', { ok: false, error });
          break;
        }
        job.phase = 'queued';
        this.#queue.pushFront(job);
        this.#pump();
        return;
      }
      case 'stopped':
      case 'unqueued':
        // Stopped or taken back after its caller was answered (abort, reset, timeout).
        this.#settle(job, 'cancelled', {
          ok: false,
          error: new ExecutorClosedError(undefined, context),
        });
        break;
    }
    this.#finish(job);
  }

  /** Answers a job the executor will not run: with why it broke down, or as closed. */
  #cancelUnrunnable(
    job: CoreJob,
    closedMessage: string,
    context: { readonly worker?: number; readonly job: number; readonly attempt: number },
  ): void {
    const error = this.#broken ?? new ExecutorClosedError(closedMessage, context);
    this.#settle(job, 'cancelled', { ok: false, error });
  }

  #retryable(job: CoreJob): boolean {
    return (
      !job.settled &&
      job.attempt <= this.#options.maxRetries &&
      job.session === this.#session &&
      this.#state === 'open' &&
      this.#broken === undefined &&
      // A moved input is gone from this thread: it cannot be sent again.
      (job.transfer.length === 0 || this.#options.runtime === 'process')
    );
  }

  #finish(job: CoreJob): void {
    this.#release(job);
    this.#pump();
    if (this.#active.size === 0) this.#onIdle?.();
  }

  // ── cancellation ───────────────────────────────────────────────────────────

  #abort(job: CoreJob, reason: unknown, code: number): void {
    switch (job.phase) {
      case 'waiting':
        this.#waiters.remove(job);
        job.phase = 'done';
        this.#settle(job, 'cancelled', { ok: false, error: reason });
        this.#updateKeepAlive();
        break;
      case 'queued':
        this.#queue.remove(job);
        this.#release(job);
        this.#settle(job, 'cancelled', { ok: false, error: reason });
        this.#pump();
        break;
      case 'running':
        if (!job.settled) this.#abortRunning(job, reason, code);
        break;
      case 'done':
        break;
    }
  }

  /** Answers a running job's caller now; tells the job to stop; stops its worker after the grace period. */
  #abortRunning(job: CoreJob, reason: unknown, code: number): void {
    this.#settle(job, 'cancelled', { ok: false, error: reason });
    // Handed over ahead but not started: take it back, the worker never sees it.
    if (this.#backend.unqueue(job.id)) return;
    this.#backend.requestAbort(job.slot, job.id, code);
    const grace = this.#options.abortGraceMs;
    if (grace === 0) this.#stopWhenStarted(job);
    else if (Number.isFinite(grace)) this.#armGrace(job, grace);
  }

  #armGrace(job: CoreJob, ms: number): void {
    job.graceTimer = setTimeout(() => this.#stopWhenStarted(job), ms);
    job.graceTimer.unref();
  }

  /**
   * Stops a job's worker once the job is known to run there. A job still waiting for its worker
   * to start needs no stopping (the worker skips a job whose abort flag is up), and stopping would
   * throw away a starting worker: look again later.
   */
  #stopWhenStarted(job: CoreJob): void {
    job.graceTimer = undefined;
    if (job.dispatch === undefined) return;
    if (this.#backend.workerOf(job.id) === undefined && !this.#options.debug) {
      this.#armGrace(job, Math.max(10, this.#options.abortGraceMs));
      return;
    }
    job.dispatch.stop();
  }

  /**
   * A job's time is counted from when it starts on its worker: one handed over ahead of time and
   * still waiting is checked again shortly, one that started is checked at its deadline.
   */
  #timeOut(job: CoreJob): void {
    job.timer = undefined;
    if (job.phase !== 'running' || job.settled) return;
    const ran = this.#backend.runTimeOf(job.id);
    if (ran === undefined || ran < job.timeoutMs) {
      const wait = ran === undefined ? Math.min(job.timeoutMs, 50) : job.timeoutMs - ran;
      job.timer = setTimeout(() => this.#timeOut(job), Math.max(1, wait));
      job.timer.unref();
      return;
    }
    this.#counts.timedOut++;
    const worker = this.#backend.workerOf(job.id);
    const context = {
      ...(worker === undefined ? {} : { worker }),
      job: job.id,
      attempt: job.attempt,
    };
    this.#settle(job, 'failed', { ok: false, error: new JobTimeoutError(job.timeoutMs, context) });
    this.#backend.requestAbort(job.slot, job.id, AbortCode.timeout);
    // The job timed out on its worker: recycle the worker at once.
    this.#stopWhenStarted(job);
  }

  #breakDown(cause: unknown): void {
    if (this.#broken !== undefined || this.#state !== 'open') return;
    this.#broken = new WorkerModuleError(
      `A worker exited while starting up: ${messageOf(cause)}`,
      { path: this.#options.module },
      { cause },
    );
    const error = this.#broken;
    for (const job of this.#waiters.drain()) this.#settle(job, 'failed', { ok: false, error });
    for (const job of this.#queue.drain()) {
      this.#release(job);
      this.#settle(job, 'failed', { ok: false, error });
    }
    for (const job of this.#active) this.#settle(job, 'failed', { ok: false, error });
    void this.#backend.destroy();
  }

  // ── settlement ─────────────────────────────────────────────────────────────

  #settle(job: CoreJob, kind: SettlementKind, settlement: Settlement): void {
    if (job.settled) return;
    job.settled = true;
    job.unlisten();
    this.#counts[kind]++;
    if (this.#results !== undefined && job.session === this.#session && this.#state !== 'closed') {
      const outcome: JobOutcome<unknown> = settlement.ok
        ? {
            id: job.id,
            ...(job.index === undefined ? {} : { index: job.index }),
            ok: true,
            result: settlement.value,
          }
        : {
            id: job.id,
            ...(job.index === undefined ? {} : { index: job.index }),
            ok: false,
            error: settlement.error,
          };
      this.#results.next(outcome);
    }
    job.onSettle(settlement, job.id);
  }

  #context(job: CoreJob): { job: number; attempt: number } {
    return { job: job.id, attempt: job.attempt };
  }

  #updateKeepAlive(): void {
    this.#keepAlive.set(this.#state !== 'closed' && (this.#occupied > 0 || this.#waiters.size > 0));
  }

  // ── closing ────────────────────────────────────────────────────────────────

  async #close(timeoutMs: number): Promise<void> {
    this.#state = 'closing';
    for (const job of this.#waiters.drain()) {
      this.#settle(job, 'cancelled', {
        ok: false,
        error: new ExecutorClosedError(undefined, { job: job.id }),
      });
    }
    for (const job of this.#queue.drain()) {
      this.#release(job);
      this.#settle(job, 'cancelled', {
        ok: false,
        error: new ExecutorClosedError(undefined, { job: job.id }),
      });
    }
    // Jobs handed over ahead of time but not started are queued jobs too: take them back, or
    // (already posted to a starting worker) have the worker skip them.
    for (const job of [...this.#active]) {
      if (job.settled || this.#backend.workerOf(job.id) !== undefined) continue;
      this.#settle(job, 'cancelled', {
        ok: false,
        error: new ExecutorClosedError(undefined, { job: job.id }),
      });
      if (!this.#backend.unqueue(job.id)) {
        this.#backend.requestAbort(job.slot, job.id, AbortCode.closed);
      }
    }
    if (this.#active.size > 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
        timer?.unref();
        this.#onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#onIdle = undefined;
    }
    for (const job of this.#active) {
      if (job.settled) continue;
      const error = new ExecutorClosedError(
        'The executor closed before the job finished',
        this.#context(job),
      );
      this.#settle(job, 'cancelled', { ok: false, error });
      this.#backend.requestAbort(job.slot, job.id, AbortCode.closed);
    }
    await this.#backend.destroy();
    this.#state = 'closed';
    this.#keepAlive.dispose();
    this.#results?.complete();
  }
}
