/**
 * One block of shared memory per collect job, carved into the pixel buffers of its small chunks
 * (`CollectorContext.allocate`): no allocation and no transfer per small chunk, and, being a
 * `SharedArrayBuffer`, no external-memory pressure on either thread's garbage collector (a
 * transferred `ArrayBuffer` of this size makes V8 run a full collection every few of them).
 *
 * @internal
 */
export class ChunkArena {
  readonly #slots: number;
  #block: SharedArrayBuffer | undefined;
  #used = 0;

  readonly #recycled: SharedArrayBuffer | undefined;

  /**
   * @param slots - How many small chunks the job may still return: the block is sized for that
   * many buffers of the first size asked for.
   * @param recycled - A block from an earlier job to use instead, if it is large enough.
   */
  constructor(slots: number, recycled?: SharedArrayBuffer) {
    this.#slots = Math.max(1, slots);
    this.#recycled = recycled;
  }

  /** The block small chunks were carved from, if any was needed. */
  get block(): SharedArrayBuffer | undefined {
    return this.#block;
  }

  /**
   * A buffer of `byteLength` bytes: from the block while it has room (contents unspecified),
   * else a new, zeroed one.
   */
  allocate(byteLength: number): Uint8Array {
    if (!Number.isInteger(byteLength) || byteLength < 0) {
      throw new RangeError(
        `Expected \`byteLength\` to be an integer ≥ 0, got \`${String(byteLength)}\``,
      );
    }
    if (byteLength === 0) return new Uint8Array(0);
    if (this.#block === undefined) {
      const wanted = byteLength * this.#slots;
      const r = this.#recycled;
      this.#block = r !== undefined && r.byteLength >= wanted ? r : new SharedArrayBuffer(wanted);
    }
    if (this.#used + byteLength > this.#block.byteLength) return new Uint8Array(byteLength);
    // A recycled block still holds pixels of its last job: the caller writes every byte.
    const view = new Uint8Array(this.#block, this.#used, byteLength);
    this.#used += byteLength;
    return view;
  }

  /** Whether `data` was carved from this arena's block. */
  owns(data: Uint8Array): boolean {
    return this.#block !== undefined && data.buffer === this.#block;
  }

  /**
   * Call once the job is done. When less than half of a new block was used, the used part is
   * copied into a block of its size (so an early finish does not hold on to empty memory); a
   * recycled block is kept whole, for its next use.
   *
   * @returns Where a returned buffer now lives: the same view, or its copy in the compact block.
   */
  settle(): (data: Uint8Array) => Uint8Array {
    const block = this.#block;
    if (block === undefined || block === this.#recycled || this.#used * 2 >= block.byteLength) {
      return (data) => data;
    }
    const compact = block.slice(0, this.#used);
    this.#block = compact;
    return (data) =>
      data.buffer === block ? new Uint8Array(compact, data.byteOffset, data.byteLength) : data;
  }
}
