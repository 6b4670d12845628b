/**
 * `map()`: runs every item of a source as a job, at most `concurrency` items pending at once
 * (running, waiting for room, or finished but not yet consumed), and yields results in source
 * or completion order. Leaving the loop (break, throw, abort) aborts its pending jobs and closes
 * the source.
 *
 * @internal
 */
import { setMaxListeners } from 'node:events';
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

/** Submits one job of the map; settles through `onSettle`. May throw for an invalid input. */
export type SubmitJob = (
  input: unknown,
  options: {
    readonly signal: AbortSignal;
    readonly transfer: readonly TransferListItem[];
    readonly timeoutMs: number;
    readonly index: number;
  },
  onSettle: (settlement: Settlement, id: number | undefined) => void,
) => void;

interface Pending<O> {
  readonly index: number;
  outcome: JobOutcome<O> | undefined;
}

/** The map's generator; `submit` puts one job in the executor (waiting for room). */
export async function* mapJobs<I, O>(
  source: MapSource<I>,
  options: ResolvedMapOptions<I>,
  submit: SubmitJob,
): AsyncGenerator<O | JobOutcome<O>, void, undefined> {
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  // Every pending job listens on it, besides the map itself: no leak warning past 10.
  setMaxListeners(options.concurrency + 10, controller.signal);
  const stopListening = onAbort(options.signal, (reason) => controller.abort(reason));
  // A synchronous iterable is read synchronously, as far ahead as the map may go: a promise per
  // item would only delay the job it carries.
  const syncIterator = syncIteratorOf(source);
  const iterator =
    syncIterator === undefined ? openSource(source, options.sourceBufferSize) : undefined;
  const window: Pending<O>[] = [];
  const finished: Pending<O>[] = [];
  let pending = 0;
  let nextIndex = 0;
  let pulling = false;
  let exhausted = false;
  let sourceFailure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  controller.signal.addEventListener('abort', notify, { once: true });

  const start = (input: I): void => {
    const item: Pending<O> = { index: nextIndex++, outcome: undefined };
    pending++;
    if (options.ordered) window.push(item);
    const done = (settlement: Settlement, id: number | undefined): void => {
      item.outcome = settlement.ok
        ? { id: id ?? -1, index: item.index, ok: true, result: settlement.value as O }
        : { id: id ?? -1, index: item.index, ok: false, error: settlement.error };
      if (!options.ordered) finished.push(item);
      notify();
    };
    try {
      const transfer = options.transfer?.(input) ?? [];
      submit(
        input,
        { signal: controller.signal, transfer, timeoutMs: options.timeoutMs, index: item.index },
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
        else if (!controller.signal.aborted) start(result.value);
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
      if (controller.signal.aborted) throw controller.signal.reason;
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
    stopListening();
    controller.signal.removeEventListener('abort', notify);
    if (!controller.signal.aborted) {
      controller.abort(
        new DOMException('The map was closed before this job finished', 'AbortError'),
      );
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
