/**
 * AbortSignal plumbing used the same way everywhere: listeners `{ once: true }`, always removed.
 *
 * @internal
 */

/** The disposer of a registration that listens to nothing. */
const NOTHING = (): void => {};

/** For a signal already aborted: calls `onAbortFn` with its reason at once and returns true. */
function abortedAlready(signal: AbortSignal, onAbortFn: (reason: unknown) => void): boolean {
  if (!signal.aborted) return false;
  onAbortFn(signal.reason);
  return true;
}

/**
 * Calls `onAbort(reason)` once if `signal` aborts; returns a disposer that removes the listener.
 * If the signal is already aborted, calls `onAbort` synchronously.
 */
export function onAbort(
  signal: AbortSignal | undefined,
  onAbortFn: (reason: unknown) => void,
): () => void {
  if (signal === undefined || abortedAlready(signal, onAbortFn)) return NOTHING;
  const listener = (): void => onAbortFn(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** The callbacks waiting on one signal through {@link onAbortShared}, and its one listener. */
interface SharedAbort {
  readonly callbacks: Set<(reason: unknown) => void>;
  readonly listener: () => void;
}

const shared = new WeakMap<AbortSignal, SharedAbort>();

/**
 * Like {@link onAbort}, but however many callers wait on the same signal, it carries one
 * `'abort'` listener, removed when the last of them is disposed: a thousand jobs run with one
 * signal do not trip Node's listener-leak warning (past 10 listeners), and do not make the
 * signal slow to abort. Callbacks run in the order they were registered.
 */
export function onAbortShared(
  signal: AbortSignal | undefined,
  onAbortFn: (reason: unknown) => void,
): () => void {
  if (signal === undefined || abortedAlready(signal, onAbortFn)) return NOTHING;
  let entry = shared.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<(reason: unknown) => void>();
    const listener = (): void => {
      shared.delete(signal);
      // Like listeners of their own: one disposed by an earlier callback is not called.
      for (const callback of [...callbacks]) {
        if (callbacks.delete(callback)) callback(signal.reason);
      }
    };
    entry = { callbacks, listener };
    shared.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  // A wrapper of its own, so that the same function registered twice is two registrations.
  const callback = (reason: unknown): void => onAbortFn(reason);
  const mine = entry;
  const { callbacks, listener } = mine;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    if (shared.get(signal) === mine) shared.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

/** Resolves after `ms` (an unref'd timer), or rejects with the signal's reason. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      dispose();
      resolve();
    }, ms);
    timer.unref?.();
    const dispose = onAbort(signal, (reason) => {
      clearTimeout(timer);
      // An abort rejects with the signal's own reason, whatever its type.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(reason);
    });
  });
}

/** Combines signals; `undefined` entries are skipped. */
export function anySignal(
  ...signals: readonly (AbortSignal | undefined)[]
): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}
