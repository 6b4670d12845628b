import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * Makes the garbage collector see the shared memory the main thread receives.
 *
 * Big chunks and small-chunk blocks reach the main thread as `SharedArrayBuffer`s. V8 does not
 * count shared memory towards the external memory that makes it collect (a plain `ArrayBuffer`
 * counts; a shared one does not), and the main thread's wrappers of a big chunk live through a
 * whole tenure, so only a full collection frees them. A full collection is what brings shared
 * memory back; with the built-in collate, each batch's plain `ArrayBuffer` brings one about often
 * enough. With a collate that allocates nothing (one that keeps views of the chunks, say), none
 * came: a run cutting 6,400 patches peaked at 2.6 GiB against 0.55 GiB with the built-in one.
 *
 * This counts the shared bytes received since the last full collection (observed with a `gc`
 * performance observer) and, past `budget`, allocates a plain `ArrayBuffer` that is dropped at
 * once: V8 counts it as external memory and starts a full collection soon. Its pages are never
 * touched (`calloc` of a size glibc always maps afresh), so it costs neither resident memory nor
 * a copy. How much external memory it takes depends on the heap (V8's headroom grows with it: 40
 * MiB was enough beside a 12 MB heap, not beside a 70 MB one), so a hint that brought no full
 * collection before the budget came round again is followed by one twice its size, up to
 * {@link MAX_HINT_BYTES}. When full collections happen anyway, the count restarts with each of
 * them and no hint is ever made.
 *
 * @internal
 */
export class SharedMemoryReclaimer {
  readonly #budget: number;
  readonly #observer: PerformanceObserver;
  #sinceFullGc = 0;
  #hints = 0;
  #hintBytes = MIN_HINT_BYTES;
  /** A hint was made and no full collection seen since. */
  #unanswered = false;

  /** @param budget - Shared bytes received without a full collection before a hint. */
  constructor(budget: number) {
    this.#budget = budget;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          this.#sinceFullGc = 0;
          this.#unanswered = false;
        }
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  /** Hints made so far. */
  get hints(): number {
    return this.#hints;
  }

  /** Size of the next hint, in bytes. */
  get hintBytes(): number {
    return this.#hintBytes;
  }

  /** Counts `bytes` of shared memory received; hints past the budget. */
  received(bytes: number): void {
    this.#sinceFullGc += bytes;
    if (this.#sinceFullGc < this.#budget) return;
    this.#sinceFullGc = 0;
    if (this.#unanswered) this.#hintBytes = Math.min(2 * this.#hintBytes, MAX_HINT_BYTES);
    this.#unanswered = true;
    this.#hints++;
    try {
      // Allocated and dropped: V8 counts it as external memory when it is made.
      new ArrayBuffer(this.#hintBytes);
    } catch {
      // No address space for it (a strict overcommit policy, say): smaller next time.
      this.#hintBytes = Math.max(MIN_HINT_BYTES, this.#hintBytes / 2);
    }
  }

  /** Stops observing collections. Idempotent. */
  close(): void {
    this.#observer.disconnect();
  }
}

/**
 * Size of a first hint: over glibc's largest mmap threshold (32 MiB on 64-bit), so that the
 * allocation is always a fresh, untouched mapping, and over V8's headroom before a full
 * collection beside a small heap.
 *
 * @internal
 */
export const MIN_HINT_BYTES = 40 * 1024 * 1024;

/**
 * Largest hint: address space only, never touched.
 *
 * @internal
 */
export const MAX_HINT_BYTES = 1024 * 1024 * 1024;
