/**
 * `map()`: runs every item of a source as a job, at most `concurrency` items pending at once
 * (running, waiting for room, or finished but not yet consumed), and yields results in source
 * or completion order. Leaving the loop (break, throw, abort) aborts its pending jobs and closes
 * the source.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import { onAbort } from '../internal/abort.js';
import type { Settlement } from './core-job.js';
import type { JobOutcome } from './job-outcome.js';
import type { MapSource } from './map-source.js';
import { openSource, syncIteratorOf } from './open-map-source.js';

/** `map()`'s options, filled in and validated. */
export interface ResolvedMapOptions<I> {
  readonly ordered: boolean;
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  readonly transfer: ((input: I) => readonly TransferListItem[]) | undefined;
  readonly settle: boolean;
  readonly sourceBufferSize: number;
}

/**
 * Submits one job of the map (waiting for room); settles through `onSettle`, and returns what
 * aborts the job with a reason. May throw for an invalid input.
 */
export type SubmitJob = (
  input: unknown,
  options: {
    readonly transfer: readonly TransferListItem[];
    readonly timeoutMs: number;
    readonly index: number;
  },
  onSettle: (settlement: Settlement, id: number | undefined) => void,
) => (reason: unknown) => void;

interface Pending<O> {
  readonly index: number;
  outcome: JobOutcome<O> | undefined;
  /** Aborts the job (a no-op once it settled). */
  cancel: (reason: unknown) => void;
}

const cancelNothing = (): void => {};

/** The map's generator; `submit` puts one job in the executor (waiting for room). */
export async function* mapJobs<I, O>(
  source: MapSource<I>,
  options: ResolvedMapOptions<I>,
  submit: SubmitJob,
): AsyncGenerator<O | JobOutcome<O>, void, undefined> {
  options.signal?.throwIfAborted();
  // A synchronous iterable is read synchronously, as far ahead as the map may go: a promise per
  // item would only delay the job it carries.
  const syncIterator = syncIteratorOf(source);
  const iterator =
    syncIterator === undefined ? openSource(source, options.sourceBufferSize) : undefined;
  const window: Pending<O>[] = [];
  const finished: Pending<O>[] = [];
  /** Jobs submitted and not settled: aborted when the map stops early. */
  const unsettled = new Set<Pending<O>>();
  let pending = 0;
  let nextIndex = 0;
  let pulling = false;
  let exhausted = false;
  let sourceFailure: { readonly error: unknown } | undefined;
  /** Why the map's signal aborted, once it has. */
  let aborted: { readonly reason: unknown } | undefined;
  /** The map has ended: a source item that arrives late starts no job. */
  let over = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const abortUnsettled = (reason: unknown): void => {
    for (const item of unsettled) item.cancel(reason);
  };
  // Jobs are aborted at once, even while the consumer holds the generator at a `yield`.
  const stopListening = onAbort(options.signal, (reason) => {
    aborted ??= { reason };
    abortUnsettled(reason);
    notify();
  });

  const start = (input: I): void => {
    const item: Pending<O> = { index: nextIndex++, outcome: undefined, cancel: cancelNothing };
    pending++;
    if (options.ordered) window.push(item);
    unsettled.add(item);
    const done = (settlement: Settlement, id: number | undefined): void => {
      unsettled.delete(item);
      item.outcome = settlement.ok
        ? { id: id ?? -1, index: item.index, ok: true, result: settlement.value as O }
        : { id: id ?? -1, index: item.index, ok: false, error: settlement.error };
      if (!options.ordered) finished.push(item);
      notify();
    };
    try {
      const transfer = options.transfer?.(input) ?? [];
      item.cancel = submit(
        input,
        { transfer, timeoutMs: options.timeoutMs, index: item.index },
        done,
      );
    } catch (error) {
      done({ ok: false, error }, undefined);
    }
  };

  /** Takes one item of a synchronous source (what it throws ends the map). */
  const pullSync = (from: Iterator<I>): void => {
    const result = from.next();
    if (result.done === true) exhausted = true;
    else start(result.value);
  };

  const pull = (from: AsyncIterator<I>): void => {
    pulling = true;
    from.next().then(
      (result) => {
        pulling = false;
        if (result.done === true) exhausted = true;
        else if (!over && aborted === undefined) start(result.value);
        notify();
      },
      (error: unknown) => {
        pulling = false;
        sourceFailure = { error };
        notify();
      },
    );
  };

  try {
    for (;;) {
      if (aborted !== undefined) throw aborted.reason;
      if (sourceFailure !== undefined) throw sourceFailure.error;
      if (syncIterator !== undefined) {
        while (!exhausted && pending < options.concurrency) pullSync(syncIterator);
      } else if (!exhausted && !pulling && pending < options.concurrency) pull(iterator!);
      const ready = options.ordered
        ? window[0]?.outcome !== undefined
          ? window.shift()
          : undefined
        : finished.shift();
      if (ready !== undefined) {
        pending--;
        const outcome = ready.outcome!;
        if (options.settle) yield outcome;
        else if (outcome.ok) yield outcome.result;
        else throw outcome.error;
        continue;
      }
      if (exhausted && !pulling && pending === 0) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    over = true;
    stopListening();
    if (unsettled.size > 0) {
      abortUnsettled(new DOMException('The map was closed before this job finished', 'AbortError'));
    }
    if (syncIterator !== undefined) {
      try {
        syncIterator.return?.();
      } catch {
        // a failing cleanup must not mask the map's own outcome
      }
    }
    const closing = iterator?.return?.();
    // An async source busy producing would hold `return()` until it yields: do not wait for it then.
    if (!pulling && closing !== undefined) await closing.catch(() => undefined);
    else void closing?.catch(() => undefined);
  }
}
