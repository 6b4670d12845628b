/**
 * Recycles blocks of shared memory the workers wrote pixels into: the blocks small chunks were cut
 * into (see `ChunkArena`), once every small chunk of a block has been copied out (into a batch,
 * or a standalone buffer for `smallChunks$`), and the memory of finished big chunks. A block goes
 * to the workers again with a later job instead of being garbage, so steady-state training
 * allocates no pixel memory, and takes no first-touch page faults, per big chunk.
 *
 * Only blocks whose every user was released are reused: a block with a chunk that was dropped
 * (discarded on a swap, say) simply stays out of the pool (the counts are weak).
 *
 * @internal
 */
export class ArenaPool {
  readonly #free: SharedArrayBuffer[] = [];
  readonly #max: number;
  readonly #outstanding = new WeakMap<SharedArrayBuffer, number>();

  /** @param max - Blocks kept for reuse at most. */
  constructor(max: number) {
    this.#max = max;
  }

  /** A block to reuse, if any. */
  take(): SharedArrayBuffer | undefined {
    return this.#free.pop();
  }

  /** Blocks waiting for reuse now. */
  get size(): number {
    return this.#free.length;
  }

  /** Starts counting the `count` small chunks that live in `block`. */
  track(block: SharedArrayBuffer, count: number): void {
    if (count > 0) this.#outstanding.set(block, count);
  }

  /** A block nothing uses (handed to a job that did not use it, say): reusable at once. */
  give(block: SharedArrayBuffer): void {
    this.#outstanding.delete(block);
    if (this.#free.length < this.#max && block.byteLength > 0) this.#free.push(block);
  }

  /** One user of `buffer` is no longer needed; the block is reusable once all are. */
  release(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof SharedArrayBuffer)) return;
    const left = this.#outstanding.get(buffer);
    if (left === undefined) return;
    if (left > 1) {
      this.#outstanding.set(buffer, left - 1);
      return;
    }
    this.#outstanding.delete(buffer);
    if (this.#free.length < this.#max && buffer.byteLength > 0) this.#free.push(buffer);
  }
}
