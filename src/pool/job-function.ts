import type { JobContext } from './job-context.js';

/**
 * The function a worker module exports (as `default`, or under the executor's `name`): it turns
 * one input into one result.
 *
 * @remarks
 * Inputs and results cross a thread (or process) boundary by structured clone: plain data, typed
 * arrays, `Map`, `Set`, `Date`, `Error`… but no functions, symbols or promises. `ArrayBuffer`s in
 * the result are moved to the caller, not copied: do not keep using a buffer you returned.
 * Throwing (or rejecting) fails the job with a `JobFailedError`; the worker stays up.
 *
 * @typeParam I - Job input.
 * @typeParam O - Job result.
 * @param input - The job's input (a structured clone of what the caller passed).
 * @param context - Cancellation signal, worker identity, job id and attempt.
 * @returns The result, or a promise of it.
 * @example
 * ```ts
 * // double.worker.ts
 * const double: JobFunction<number, number> = (n) => n * 2;
 * export default double;
 * ```
 */
export type JobFunction<I, O> = (input: I, context: JobContext) => O | Promise<O>;
