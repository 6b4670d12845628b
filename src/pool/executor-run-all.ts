/**
 * `runAll()`: every item of a source as a job, at most `concurrency` in the executor at once,
 * results collected by source position. Unlike `map()` there is no consumer to hand each result
 * to, so this runs as a plain callback loop (a synchronous source is even read synchronously),
 * without an async generator's per-item cost.
 *
 * @internal
 */
import { onAbort } from '../internal/abort.js';
import type { Settlement } from './core-job.js';
import type { ResolvedMapOptions, SubmitJob } from './executor-map.js';
import type { JobOutcome } from './job-outcome.js';
import type { MapSource } from './map-source.js';
import { openSource, syncIteratorOf } from './open-map-source.js';

/** Resolves with one result (or outcome, with `settle`) per item, in source order. */
export function runAllJobs<I, O>(
  source: MapSource<I>,
  options: ResolvedMapOptions<I>,
  submit: SubmitJob,
): Promise<(O | JobOutcome<O>)[]> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true) {
      reject(options.signal.reason as Error);
      return;
    }
    /** What aborts each job submitted and not settled. */
    const unsettled = new Set<{ cancel: (reason: unknown) => void }>();
    const results: (O | JobOutcome<O>)[] = [];
    const sync = syncIteratorOf(source);
    const async = sync === undefined ? openSource(source, options.sourceBufferSize) : undefined;
    let pending = 0;
    let nextIndex = 0;
    let pulling = false;
    let exhausted = false;
    let over = false;

    const end = (error?: { readonly reason: unknown }): void => {
      if (over) return;
      over = true;
      stopListening();
      if (unsettled.size > 0) {
        const reason =
          error?.reason ?? new DOMException('runAll ended before this job finished', 'AbortError');
        for (const job of unsettled) job.cancel(reason);
      }
      try {
        if (sync !== undefined) sync.return?.();
        else void async?.return?.()?.catch(() => undefined);
      } catch {
        // a failing cleanup must not mask the outcome
      }
      if (error === undefined) resolve(results);
      // A job's error or an abort reason, whatever its type, as `map()` would throw it.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      else reject(error.reason);
    };
    const stopListening = onAbort(options.signal, (reason) => end({ reason }));

    const start = (input: I): void => {
      const index = nextIndex++;
      pending++;
      const job = { cancel: (_reason: unknown): void => {} };
      unsettled.add(job);
      const done = (settlement: Settlement, id: number | undefined): void => {
        pending--;
        unsettled.delete(job);
        if (over) return;
        if (options.settle) {
          results[index] = settlement.ok
            ? { id: id ?? -1, index, ok: true, result: settlement.value as O }
            : { id: id ?? -1, index, ok: false, error: settlement.error };
        } else if (settlement.ok) {
          results[index] = settlement.value as O;
        } else {
          end({ reason: settlement.error });
          return;
        }
        fill();
      };
      try {
        const transfer = options.transfer?.(input) ?? [];
        job.cancel = submit(input, { transfer, timeoutMs: options.timeoutMs, index }, done);
      } catch (error) {
        done({ ok: false, error }, undefined);
      }
    };

    const fill = (): void => {
      while (!over && !exhausted && !pulling && pending < options.concurrency) {
        if (sync !== undefined) {
          let next: IteratorResult<I>;
          try {
            next = sync.next();
          } catch (error) {
            end({ reason: error });
            return;
          }
          if (next.done === true) exhausted = true;
          else start(next.value);
        } else {
          pulling = true;
          async!.next().then(
            (next) => {
              pulling = false;
              if (over) return;
              if (next.done === true) exhausted = true;
              else start(next.value);
              fill();
            },
            (error: unknown) => {
              pulling = false;
              end({ reason: error });
            },
          );
        }
      }
      if (!over && exhausted && !pulling && pending === 0) end();
    };

    fill();
  });
}
