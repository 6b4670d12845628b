/**
 * A fixed ring of the most recent duration samples, summarised on demand.
 *
 * @internal
 */
import type { DurationSummary } from './duration-summary.js';

const EMPTY: DurationSummary = Object.freeze({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });

/** The last `size` samples (ms). */
export class TimingWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;

  constructor(size = 1024) {
    this.#samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  summary(): DurationSummary {
    if (this.#count === 0) return EMPTY;
    const sorted = this.#samples.slice(0, this.#count).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const at = (q: number): number =>
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return Object.freeze({
      count: this.#count,
      mean: sum / this.#count,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted[sorted.length - 1]!,
    });
  }
}
