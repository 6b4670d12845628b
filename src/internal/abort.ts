/**
 * AbortSignal plumbing used the same way everywhere: listeners `{ once: true }`, always removed.
 *
 * @internal
 */

/**
 * Calls `onAbort(reason)` once if `signal` aborts; returns a disposer that removes the listener.
 * If the signal is already aborted, calls `onAbort` synchronously.
 */
export function onAbort(
  signal: AbortSignal | undefined,
  onAbortFn: (reason: unknown) => void,
): () => void {
  if (signal === undefined) return () => {};
  if (signal.aborted) {
    onAbortFn(signal.reason);
    return () => {};
  }
  const listener = (): void => onAbortFn(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
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
