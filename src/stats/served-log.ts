import { assertInteger } from '../internal/validate.js';

/** One served sample, without its pixels. */
export interface ServedSample {
  /** Patient id. */
  readonly patient: string;
  /** Pyramid level of the sample's coordinates. */
  readonly level: number;
  /** Left edge in level pixels. */
  readonly x: number;
  /** Top edge in level pixels. */
  readonly y: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Downsample of the level relative to level 0, when known. */
  readonly downsample?: number;
}

/**
 * A bounded log of served samples: a ring buffer that keeps the most recent `capacity` entries
 * and counts the ones it let go. It feeds the patch map and per-patient counts.
 *
 * @remarks
 * Memory is fixed by `capacity` (about 100 bytes an entry), however long training runs.
 *
 * @example
 * ```ts
 * const log = new ServedLog(10_000);
 * log.push({ patient: 'p1', level: 0, x: 10, y: 20, width: 224, height: 224 });
 * log.forPatient('p1').length; // 1
 * ```
 */
export class ServedLog {
  readonly #entries: (ServedSample | undefined)[];
  #next = 0;
  #size = 0;
  #evicted = 0;

  /**
   * @param capacity - Entries kept (integer ≥ 0; 0 keeps none).
   * @throws RangeError for a capacity that is not a non-negative integer.
   */
  constructor(capacity: number) {
    assertInteger('servedLogSize', capacity, 0);
    this.#entries = new Array<ServedSample | undefined>(capacity);
  }

  /** Entries kept at most. */
  get capacity(): number {
    return this.#entries.length;
  }

  /** Entries held now. */
  get size(): number {
    return this.#size;
  }

  /** Entries that were overwritten (or not kept, with capacity 0). */
  get evicted(): number {
    return this.#evicted;
  }

  /** Appends a sample, evicting the oldest when full. */
  push(sample: ServedSample): void {
    const cap = this.#entries.length;
    if (cap === 0) {
      this.#evicted++;
      return;
    }
    if (this.#size === cap) this.#evicted++;
    else this.#size++;
    this.#entries[this.#next] = sample;
    this.#next = (this.#next + 1) % cap;
  }

  /** The samples held, oldest first. */
  toArray(): ServedSample[] {
    const cap = this.#entries.length;
    const out: ServedSample[] = [];
    const start = (this.#next - this.#size + cap) % Math.max(cap, 1);
    for (let i = 0; i < this.#size; i++) out.push(this.#entries[(start + i) % cap] as ServedSample);
    return out;
  }

  /** The samples held for one patient, oldest first. */
  forPatient(patient: string): ServedSample[] {
    return this.toArray().filter((s) => s.patient === patient);
  }

  /** Drops every entry (the evicted count is kept). */
  clear(): void {
    this.#entries.fill(undefined);
    this.#size = 0;
    this.#next = 0;
  }
}
