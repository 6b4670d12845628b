/**
 * The per-subscription machinery of `mapInPool`: a window of at most `capacity` items (running
 * jobs plus finished results), at most `concurrency` of them running. The jobs of a subscription
 * share one AbortSignal, aborted at teardown: creating an AbortSignal costs microseconds in
 * Node 20, too much to pay per item.
 *
 * @internal
 */
import { setMaxListeners } from 'node:events';
import type { TransferListItem } from 'node:worker_threads';
import type { Observable, Observer } from 'rxjs';
import { onAbort } from '../internal/abort.js';
import type { JobRunner } from '../pool/job-runner.js';
import { Fifo } from './fifo.js';
import type { FlowProducer } from './flow-producer.js';
import type { FlowSubscription } from './flow-subscription.js';
import { subscribeUpstream } from './queue-producer.js';
import { Trampoline } from './trampoline.js';

/** Validated settings of one `mapInPool` stage. */
export interface PoolSettings<I> {
  readonly concurrency: number;
  readonly capacity: number;
  readonly ordered: boolean;
  readonly signal: AbortSignal | undefined;
  readonly transfer: ((input: I) => readonly TransferListItem[]) | undefined;
  readonly timeoutMs: number | undefined;
}

/** Mutable counters of a stage, shared by its subscriptions. */
export interface PoolMeter {
  inFlight: number;
  maxInFlight: number;
  held: number;
  maxHolding: number;
  requested: number;
  started: number;
  succeeded: number;
  failed: number;
  aborted: number;
  delivered: number;
  dropped: number;
}

/** Fresh zeroed counters. */
export function newPoolMeter(): PoolMeter {
  return {
    inFlight: 0,
    maxInFlight: 0,
    held: 0,
    maxHolding: 0,
    requested: 0,
    started: 0,
    succeeded: 0,
    failed: 0,
    aborted: 0,
    delivered: 0,
    dropped: 0,
  };
}

/** Finished results waiting to be emitted: in completion order, or slotted by sequence number. */
interface Results<O> {
  readonly size: number;
  put(seq: number, result: O): void;
  /** Emits while `canEmit()` and a result is due; returns how many were emitted. */
  flush(canEmit: () => boolean, emit: (result: O) => void): void;
  clear(): number;
}

function completionOrder<O>(): Results<O> {
  const fifo = new Fifo<O>();
  return {
    get size() {
      return fifo.length;
    },
    put: (_seq, result) => fifo.push(result),
    flush(canEmit, emit) {
      while (fifo.length > 0 && canEmit()) emit(fifo.shift());
    },
    clear: () => fifo.clear().length,
  };
}

function sourceOrder<O>(): Results<O> {
  const slots = new Map<number, O>();
  let head = 0;
  return {
    get size() {
      return slots.size;
    },
    put: (seq, result) => void slots.set(seq, result),
    flush(canEmit, emit) {
      while (slots.has(head) && canEmit()) {
        const result = slots.get(head) as O;
        slots.delete(head);
        head += 1;
        emit(result);
      }
    },
    clear() {
      const n = slots.size;
      slots.clear();
      return n;
    },
  };
}

/** The producer of one `mapInPool` stage. */
export function poolProducer<I, O>(
  source: Observable<I>,
  runner: JobRunner<I, O>,
  settings: PoolSettings<I>,
  meter: PoolMeter,
): FlowProducer<O> {
  const { concurrency, capacity, ordered, signal, transfer, timeoutMs } = settings;
  return (sink, demand) => {
    const running = new Set<number>();
    const controller = new AbortController();
    const jobSignal = controller.signal;
    // Each running job's runner listens on the shared signal; completed jobs must have let go.
    setMaxListeners(2 * concurrency + 10, jobSignal);
    const results: Results<O> = ordered ? sourceOrder() : completionOrder();
    let upstream: FlowSubscription | undefined;
    let outstanding = 0;
    let nextSeq = 0;
    let upstreamDone = false;
    let aborted: { reason: unknown } | undefined;

    const emit = (result: O): void => {
      meter.held -= 1;
      meter.delivered += 1;
      sink.next(result);
    };
    const canEmit = (): boolean => demand.credit > 0 && !sink.closed;

    const drain = new Trampoline(() => {
      results.flush(canEmit, emit);
      if (sink.closed) return;
      const holding = running.size + results.size;
      if (upstreamDone) {
        if (holding === 0) sink.complete();
        return;
      }
      if (upstream === undefined) return;
      const room = Math.min(
        concurrency - running.size - outstanding,
        capacity - holding - outstanding,
      );
      if (room > 0) {
        outstanding += room;
        meter.requested += room;
        upstream.request(room);
      }
    });

    const settle = (seq: number): boolean => {
      if (!running.delete(seq)) return false; // the stage ended; the job was aborted
      meter.inFlight -= 1;
      return true;
    };

    const start = (input: I): void => {
      const seq = nextSeq++;
      running.add(seq);
      meter.started += 1;
      meter.inFlight += 1;
      if (running.size > meter.maxInFlight) meter.maxInFlight = running.size;
      const holding = running.size + results.size;
      if (holding > meter.maxHolding) meter.maxHolding = holding;
      let job: Promise<O>;
      try {
        const options: {
          signal: AbortSignal;
          transfer?: readonly TransferListItem[];
          timeoutMs?: number;
        } = {
          signal: jobSignal,
        };
        if (transfer !== undefined) options.transfer = transfer(input);
        if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
        job = Promise.resolve(runner.run(input, options));
      } catch (err) {
        // A runner (or `transfer`) that throws synchronously fails like a rejected job.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        job = Promise.reject(err);
      }
      job.then(
        (result) => {
          if (!settle(seq)) return;
          meter.succeeded += 1;
          meter.held += 1;
          results.put(seq, result);
          drain.run();
        },
        (err: unknown) => {
          if (!settle(seq)) return;
          meter.failed += 1;
          sink.error(err);
        },
      );
    };

    const observer: Observer<I> = {
      next: (input) => {
        if (sink.closed) return;
        outstanding -= 1;
        start(input);
      },
      error: (err: unknown) => sink.error(err),
      complete: () => {
        upstreamDone = true;
        drain.run();
      },
    };

    const stopWatching = onAbort(signal, (reason) => {
      aborted = { reason };
      sink.error(reason);
    });
    if (!sink.closed) {
      upstream = subscribeUpstream(source, observer, capacity);
      demand.onRequest(() => drain.run());
      drain.run();
    }

    return () => {
      stopWatching();
      upstream?.unsubscribe();
      if (running.size > 0) {
        meter.inFlight -= running.size;
        meter.aborted += running.size;
        running.clear();
        if (aborted === undefined) controller.abort();
        else controller.abort(aborted.reason);
      }
      const rest = results.clear();
      meter.held -= rest;
      meter.dropped += rest;
    };
  };
}
