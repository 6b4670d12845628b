/**
 * Races work that cannot be cancelled (a native decode) against an abort signal.
 *
 * @internal
 */
import { onAbortShared } from '../../internal/abort.js';

/**
 * Settles like `work`, or rejects with `signal.reason` as soon as the signal aborts (the work
 * then runs to completion unobserved). The listener is removed either way.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const dispose = onAbortShared(signal, (reason) => {
      // An abort rejects with the signal's own reason, whatever its type.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(reason);
    });
    work.then(
      (value) => {
        dispose();
        resolve(value);
      },
      (err: unknown) => {
        dispose();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(err);
      },
    );
  });
}
