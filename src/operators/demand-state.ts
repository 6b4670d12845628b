/**
 * Credit bookkeeping shared by the producer's {@link Demand} view and the consumer's
 * {@link FlowSubscription} view of one subscription.
 *
 * @internal
 */
import { expected } from '../internal/validate.js';
import type { Demand } from './demand.js';

/** Credit above this is treated as unbounded, so counters never lose integer precision. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Throws unless `n` is a valid grant: an integer ≥ 1 or `Infinity`. */
export function assertGrant(n: unknown): number {
  const what = 'an integer ≥ 1 or Infinity';
  if (typeof n !== 'number') throw new TypeError(expected('n', what, n));
  if (n !== Infinity && !(Number.isInteger(n) && n >= 1)) {
    throw new RangeError(expected('n', what, n));
  }
  return n;
}

/** One subscription's credit: granted by the consumer, spent by the producer. */
export class DemandState implements Demand {
  #credit: number;
  #requested: number;
  #listener: (() => void) | undefined;
  #notifying = false;
  #again = false;
  #closed = false;

  /** @param initial - Credit available from the start (0, or `Infinity` for a plain subscribe). */
  constructor(initial: number) {
    this.#credit = initial;
    this.#requested = initial;
  }

  get credit(): number {
    return this.#credit;
  }

  get requested(): number {
    return this.#requested;
  }

  onRequest(listener: () => void): void {
    if (this.#closed) return;
    this.#listener = listener;
    if (this.#credit > 0) this.#notify();
  }

  /** Adds credit and tells the producer; a no-op once closed. */
  request(n: number): void {
    assertGrant(n);
    if (this.#closed) return;
    this.#credit = this.#credit + n >= UNBOUNDED ? Infinity : this.#credit + n;
    this.#requested = this.#requested + n >= UNBOUNDED ? Infinity : this.#requested + n;
    this.#notify();
  }

  /** Spends one unit of credit; `false` when there was none. */
  consume(): boolean {
    if (this.#credit === Infinity) return true;
    if (this.#credit <= 0) return false;
    this.#credit -= 1;
    return true;
  }

  /** Ends the subscription's bookkeeping: drops the listener, ignores later grants. */
  close(): void {
    this.#closed = true;
    this.#listener = undefined;
  }

  #notify(): void {
    if (this.#notifying) {
      this.#again = true;
      return;
    }
    this.#notifying = true;
    try {
      do {
        this.#again = false;
        this.#listener?.();
      } while (this.#again && !this.#closed);
    } finally {
      this.#notifying = false;
    }
  }
}
