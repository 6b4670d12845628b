import { describe, expect, it } from 'vitest';
import { ChunkArena } from '../../../src/scheduler/internal/chunk-arena.js';

describe('ChunkArena', () => {
  it('carves one shared block sized for the remaining slots, then falls back to fresh buffers', () => {
    const arena = new ChunkArena(3);
    const views = [arena.allocate(10), arena.allocate(10), arena.allocate(10)];
    const block = arena.block;
    expect(block).toBeInstanceOf(SharedArrayBuffer);
    expect(block?.byteLength).toBe(30);
    expect(views.map((v) => [v.buffer === block, v.byteOffset, v.length])).toEqual([
      [true, 0, 10],
      [true, 10, 10],
      [true, 20, 10],
    ]);
    expect(views.every((v) => arena.owns(v))).toBe(true);
    const extra = arena.allocate(10);
    expect(extra.buffer).toBeInstanceOf(ArrayBuffer);
    expect(arena.owns(extra)).toBe(false);
    expect([...extra]).toEqual(new Array(10).fill(0));
  });

  it('uses a recycled block that is large enough, and keeps it whole when settling', () => {
    const recycled = new SharedArrayBuffer(64);
    new Uint8Array(recycled).fill(7);
    const arena = new ChunkArena(2, recycled);
    const a = arena.allocate(16);
    expect(a.buffer).toBe(recycled);
    expect(arena.block).toBe(recycled);
    const relocate = arena.settle();
    expect(relocate(a)).toBe(a);
    expect(arena.block).toBe(recycled);
  });

  it('ignores a recycled block that is too small', () => {
    const arena = new ChunkArena(4, new SharedArrayBuffer(8));
    const a = arena.allocate(16);
    expect(arena.block?.byteLength).toBe(64);
    expect(a.buffer).toBe(arena.block);
  });

  it('compacts a new block less than half used, re-pointing its views with their contents', () => {
    const arena = new ChunkArena(10);
    const a = arena.allocate(4);
    a.set([1, 2, 3, 4]);
    const b = arena.allocate(4);
    b.set([5, 6, 7, 8]);
    const stranger = new Uint8Array([9]);
    const relocate = arena.settle();
    const [a2, b2] = [relocate(a), relocate(b)];
    expect(arena.block?.byteLength).toBe(8);
    expect(a2.buffer).toBe(arena.block);
    expect([...a2, ...b2]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(relocate(stranger)).toBe(stranger);
  });

  it('hands out empty buffers for 0 bytes and refuses a bad length with a RangeError', () => {
    const arena = new ChunkArena(2);
    expect(arena.allocate(0).length).toBe(0);
    expect(arena.block).toBeUndefined();
    expect(() => arena.allocate(-1)).toThrow(RangeError);
    expect(() => arena.allocate(1.5)).toThrow(
      'Expected `byteLength` to be an integer ≥ 0, got `1.5`',
    );
  });
});
