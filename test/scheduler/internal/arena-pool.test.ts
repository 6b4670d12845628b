import { describe, expect, it } from 'vitest';
import { ArenaPool } from '../../../src/scheduler/internal/arena-pool.js';

describe('ArenaPool', () => {
  it('gives a block back once every one of its tracked small chunks is released', () => {
    const pool = new ArenaPool(4);
    const block = new SharedArrayBuffer(16);
    pool.track(block, 3);
    pool.release(block);
    pool.release(block);
    expect(pool.size).toBe(0);
    expect(pool.take()).toBeUndefined();
    pool.release(block);
    expect(pool.size).toBe(1);
    expect(pool.take()).toBe(block);
    // Released past its count, or never tracked: ignored.
    pool.release(block);
    pool.release(new SharedArrayBuffer(8));
    pool.release(new ArrayBuffer(8));
    expect(pool.size).toBe(0);
  });

  it('keeps at most `max` blocks and never reuses a block with a chunk still out', () => {
    const pool = new ArenaPool(1);
    const [a, b, c] = [16, 16, 16].map((n) => new SharedArrayBuffer(n)) as [
      SharedArrayBuffer,
      SharedArrayBuffer,
      SharedArrayBuffer,
    ];
    for (const block of [a, b, c]) pool.track(block, 2);
    pool.release(a);
    pool.release(a);
    pool.release(b);
    pool.release(b);
    pool.release(c);
    expect(pool.size).toBe(1);
    expect(pool.take()).toBe(a);
    expect(pool.take()).toBeUndefined();
  });
});
