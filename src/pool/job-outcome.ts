/**
 * How one job ended, as `results$` emits it and as `map()`/`runAll()` give it with
 * `settle: true`: its id, its position in the source (or the `index` given to `run`/`tryPut`),
 * and either the result or the error.
 *
 * @remarks
 * `ok` tells the cases apart, so an `undefined` or `null` result is never mistaken for a failure.
 *
 * @typeParam O - Job result.
 * @example
 * ```ts
 * declare const ex: JobExecutor<number, number>;
 * ex.results$.subscribe((o: JobOutcome<number>) => {
 *   if (o.ok) console.log(`job ${o.id} →`, o.result);
 *   else console.error(`job ${o.id} failed`, o.error);
 * });
 * ```
 */
export type JobOutcome<O> =
  | {
      /** The job's id, unique within its executor. */
      readonly id: number;
      /** Position in the `map`/`runAll` source, or the `index` given to `run`/`tryPut`. */
      readonly index?: number;
      /** The job succeeded. */
      readonly ok: true;
      /** What the job function returned. */
      readonly result: O;
    }
  | {
      /** The job's id, unique within its executor. */
      readonly id: number;
      /** Position in the `map`/`runAll` source, or the `index` given to `run`/`tryPut`. */
      readonly index?: number;
      /** The job failed, was aborted, or was refused. */
      readonly ok: false;
      /** Why: a lightdl error class (`JobFailedError`, `WorkerExitedError`…) or an abort reason. */
      readonly error: unknown;
    };
