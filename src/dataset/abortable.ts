/**
 * Racing a promise against an AbortSignal, with the listener removed however it ends.
 *
 * @internal
 * @module
 */
import { onAbortShared } from '../internal/abort.js';

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts (the work
 * behind `promise` is expected to notice `signal.aborted` and stop on its own).
 */
export async function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) return promise;
  let dispose = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    // An abort rejects with the signal's own reason, whatever its type.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    dispose = onAbortShared(signal, (reason) => reject(reason));
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    dispose();
    // The losing side may still reject later (e.g. the work stopping on abort): keep it quiet.
    promise.catch(() => {});
  }
}
