/**
 * Applies LightDL's thread priority and CPU affinity to the process's threads, and re-applies
 * them to threads that appear later (libvips and libuv start theirs lazily).
 *
 * @internal
 */
import { PlatformUnsupportedError } from '../errors.js';
import {
  otherThreadIds,
  setThreadsAffinity,
  setThreadsPriority,
  threadControlSupported,
} from '../internal/threads.js';

/** What to apply. */
export interface ThreadPolicySettings {
  readonly workerNice: number | null;
  readonly cpuMain: readonly number[] | undefined;
  readonly cpuWorkers: readonly number[] | undefined;
}

/** Tracks the threads already handled; `apply()` handles the new ones. */
export class ThreadPolicy {
  readonly #settings: ThreadPolicySettings;
  readonly #done = new Set<number>();
  #mainDone = false;
  #reported = false;
  #running: Promise<void> | undefined;

  constructor(settings: ThreadPolicySettings) {
    this.#settings = settings;
  }

  /** Whether there is anything to do. */
  get active(): boolean {
    const s = this.#settings;
    return s.workerNice !== null || s.cpuMain !== undefined || s.cpuWorkers !== undefined;
  }

  /**
   * Applies the settings to threads not seen before. Resolves with an error to report (once), or
   * `undefined`. Never rejects; concurrent calls share one pass.
   */
  apply(): Promise<PlatformUnsupportedError | undefined> {
    if (!this.active) return Promise.resolve(undefined);
    const pass = (this.#running ??= this.#pass().finally(() => (this.#running = undefined)));
    return pass.then(
      () => undefined,
      (error: unknown) => {
        if (this.#reported) return undefined;
        this.#reported = true;
        return error instanceof PlatformUnsupportedError
          ? error
          : new PlatformUnsupportedError('Could not apply thread priority or affinity', {
              cause: error,
            });
      },
    );
  }

  async #pass(): Promise<void> {
    if (!threadControlSupported()) {
      throw new PlatformUnsupportedError(
        `Thread priority and CPU affinity need Linux; this is ${process.platform} (workerNice and coreAssignment are ignored)`,
      );
    }
    const s = this.#settings;
    if (!this.#mainDone && s.cpuMain !== undefined) {
      await setThreadsAffinity([process.pid], s.cpuMain);
    }
    this.#mainDone = true;
    const fresh = (await otherThreadIds()).filter((tid) => !this.#done.has(tid));
    if (fresh.length === 0) return;
    if (s.workerNice !== null) setThreadsPriority(fresh, s.workerNice);
    if (s.cpuWorkers !== undefined) await setThreadsAffinity(fresh, s.cpuWorkers);
    for (const tid of fresh) this.#done.add(tid);
  }
}
