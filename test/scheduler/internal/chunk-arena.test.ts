import { describe, expect, it } from 'vitest';
import { ChunkArena } from '../../../src/scheduler/internal/chunk-arena.js';

describe('ChunkArena', () => {
  it('carves shared blocks of at most BLOCK_CHUNKS buffers, then falls back to fresh buffers', () => {
    const slots = ChunkArena.BLOCK_CHUNKS + 2;
    const arena = new ChunkArena(slots);
    const views = Array.from({ length: slots }, () => arena.allocate(10));
    const [first, second] = arena.blocks;
    expect(arena.blocks).toHaveLength(2);
    expect(first).toBeInstanceOf(SharedArrayBuffer);
    expect(first?.byteLength).toBe(10 * ChunkArena.BLOCK_CHUNKS);
    expect(second?.byteLength).toBe(20);
    expect(
      views.map((v) => [v.buffer === first ? 0 : v.buffer === second ? 1 : -1, v.byteOffset]),
    ).toEqual([
      ...Array.from({ length: ChunkArena.BLOCK_CHUNKS }, (_, i) => [0, 10 * i]),
      [1, 0],
      [1, 10],
    ]);
    expect(views.every((v) => arena.owns(v))).toBe(true);
    const extra = arena.allocate(10);
    expect(extra.buffer).toBeInstanceOf(ArrayBuffer);
    expect(arena.owns(extra)).toBe(false);
    expect([...extra]).toEqual(new Array(10).fill(0));
  });

  it('uses recycled blocks that are large enough, and keeps them whole when settling', () => {
    const small = new SharedArrayBuffer(8);
    const large = new SharedArrayBuffer(64);
    const arena = new ChunkArena(2, [small, large]);
    const a = arena.allocate(16);
    expect(a.buffer).toBe(large);
    expect(arena.blocks).toEqual([large]);
    const relocate = arena.settle();
    expect(relocate(a)).toBe(a);
    expect(arena.blocks).toEqual([large]);
  });

  it('reports the bytes of the blocks it made, not of recycled ones, and the recycled blocks it left', () => {
    const recycled = new SharedArrayBuffer(30);
    const unused = new SharedArrayBuffer(8);
    const arena = new ChunkArena(3, [recycled, unused]);
    expect(arena.freshBytes).toBe(0);
    expect(arena.allocate(10).buffer).toBe(recycled);
    // Does not fit in what is left of `recycled`, and `unused` is too small: a new block.
    const fresh = arena.allocate(25);
    expect(fresh.buffer).not.toBe(unused);
    expect(arena.blocks).toEqual([recycled, fresh.buffer]);
    expect(arena.freshBytes).toBe(50);
    expect(arena.spare).toEqual([unused]);
  });

  it('compacts a new last block less than half used, re-pointing its views with their contents', () => {
    const arena = new ChunkArena(10);
    const a = arena.allocate(4);
    a.set([1, 2, 3, 4]);
    const b = arena.allocate(4);
    b.set([5, 6, 7, 8]);
    const stranger = new Uint8Array([9]);
    const relocate = arena.settle();
    const [a2, b2] = [relocate(a), relocate(b)];
    expect(arena.blocks.map((block) => block.byteLength)).toEqual([8]);
    expect(a2.buffer).toBe(arena.blocks[0]);
    expect([...a2, ...b2]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(relocate(stranger)).toBe(stranger);
  });

  it('hands out empty buffers for 0 bytes and refuses a bad length with a RangeError', () => {
    const arena = new ChunkArena(2);
    expect(arena.allocate(0).length).toBe(0);
    expect(arena.blocks).toEqual([]);
    expect(() => arena.allocate(-1)).toThrow(RangeError);
    expect(() => arena.allocate(1.5)).toThrow(
      'Expected `byteLength` to be an integer ≥ 0, got `1.5`',
    );
  });
});
