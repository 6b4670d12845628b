/**
 * Blocks of shared memory carved into the pixel buffers of a collect job's small chunks
 * (`CollectorContext.allocate`): no allocation and no transfer per small chunk, and, being
 * `SharedArrayBuffer`s, no external-memory pressure on either thread's garbage collector (a
 * transferred `ArrayBuffer` of this size makes V8 run a full collection every few of them).
 *
 * A block holds at most {@link ChunkArena.BLOCK_CHUNKS} small chunks, so one whose chunks are
 * batched a few at a time keeps little memory alive, and goes back to the workers (see
 * `ArenaPool`) soon.
 *
 * @internal
 */
export class ChunkArena {
  /** Small chunks per block, at most. */
  static readonly BLOCK_CHUNKS = 16;

  readonly #recycled: SharedArrayBuffer[];
  readonly #given: ReadonlySet<SharedArrayBuffer>;
  readonly #used: SharedArrayBuffer[] = [];
  #slots: number;
  #block: SharedArrayBuffer | undefined;
  #offset = 0;
  #fresh = false;

  /**
   * @param slots - How many small chunks the job may still return: blocks are sized for at most
   * that many (and at most {@link ChunkArena.BLOCK_CHUNKS}) buffers of the first size asked for.
   * @param recycled - Blocks from earlier jobs to use first, when large enough.
   */
  constructor(slots: number, recycled: readonly SharedArrayBuffer[] = []) {
    this.#slots = Math.max(1, slots);
    this.#recycled = [...recycled];
    this.#given = new Set(recycled);
  }

  /** The blocks small chunks were carved from, in order. */
  get blocks(): readonly SharedArrayBuffer[] {
    return this.#used;
  }

  /**
   * Bytes of the blocks in {@link ChunkArena.blocks} this arena made (not recycled ones). Across
   * threads a block arrives as a new `SharedArrayBuffer` object over the same memory, so the
   * receiver cannot tell reused blocks from new ones by identity: it asks this.
   */
  get freshBytes(): number {
    let bytes = 0;
    for (const block of this.#used) if (!this.#given.has(block)) bytes += block.byteLength;
    return bytes;
  }

  /** Recycled blocks this arena did not use: still free for another job. */
  get spare(): readonly SharedArrayBuffer[] {
    return this.#recycled;
  }

  /**
   * A buffer of `byteLength` bytes, carved from a block (contents unspecified: a reused block
   * still holds old pixels), or a new zeroed one once the job's slots are used up.
   */
  allocate(byteLength: number): Uint8Array {
    if (!Number.isInteger(byteLength) || byteLength < 0) {
      throw new RangeError(
        `Expected \`byteLength\` to be an integer ≥ 0, got \`${String(byteLength)}\``,
      );
    }
    if (byteLength === 0) return new Uint8Array(0);
    if (this.#block === undefined || this.#offset + byteLength > this.#block.byteLength) {
      if (this.#slots <= 0) return new Uint8Array(byteLength);
      this.#next(byteLength);
    }
    const view = new Uint8Array(this.#block!, this.#offset, byteLength);
    this.#offset += byteLength;
    this.#slots--;
    return view;
  }

  /** Whether `data` was carved from one of this arena's blocks. */
  owns(data: Uint8Array): boolean {
    return data.buffer instanceof SharedArrayBuffer && this.#used.includes(data.buffer);
  }

  /**
   * Call once the job is done. When less than half of the last block was used and it was new,
   * the used part is copied into a block of its size (so an early finish does not hold on to
   * empty memory).
   *
   * @returns Where a returned buffer now lives: the same view, or its copy in the compact block.
   */
  settle(): (data: Uint8Array) => Uint8Array {
    const block = this.#block;
    if (block === undefined || !this.#fresh || this.#offset * 2 >= block.byteLength) {
      return (data) => data;
    }
    const compact = new SharedArrayBuffer(this.#offset);
    new Uint8Array(compact).set(new Uint8Array(block, 0, this.#offset));
    this.#used[this.#used.length - 1] = compact;
    this.#block = compact;
    return (data) =>
      data.buffer === block ? new Uint8Array(compact, data.byteOffset, data.byteLength) : data;
  }

  #next(byteLength: number): void {
    const wanted = byteLength * Math.min(this.#slots, ChunkArena.BLOCK_CHUNKS);
    const i = this.#recycled.findIndex((b) => b.byteLength >= wanted);
    const reused = i >= 0 ? this.#recycled.splice(i, 1)[0] : undefined;
    this.#block = reused ?? new SharedArrayBuffer(wanted);
    this.#fresh = reused === undefined;
    this.#offset = 0;
    this.#used.push(this.#block);
  }
}
