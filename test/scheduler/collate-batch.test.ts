import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { SmallChunk } from '../../src/collectors/small-chunk.js';
import { collateBatch } from '../../src/scheduler/collate-batch.js';

const runs = Number(process.env['FC_NUM_RUNS']) || 100;

function chunk(
  patient: string,
  x: number,
  w: number,
  h: number,
  c: number,
  fill: number,
): SmallChunk {
  return {
    data: new Uint8Array(w * h * c).map((_, i) => (fill + i) & 0xff),
    width: w,
    height: h,
    channels: c,
    info: {
      patient,
      level: 0,
      x,
      y: 2 * x,
      width: w,
      height: h,
      parent: { patient, tenure: 1, index: 0 },
      callCount: x,
    },
  };
}

describe('collateBatch', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 4 }),
      fc.nat(1000),
    ],
    { numRuns: runs },
  )('lays the chunks out one after another as N×H×W×C, metadata in order', (n, w, h, c, index) => {
    const chunks = Array.from({ length: n }, (_, i) => chunk(`p${i % 3}`, i, w, h, c, i * 31));
    const b = collateBatch(chunks, index);
    expect(b.shape).toEqual([n, h, w, c]);
    expect(b.index).toBe(index);
    expect([...b.data]).toEqual(chunks.flatMap((k) => [...k.data]));
    expect(b.smallChunks).toEqual(chunks.map((k) => k.info));
  });

  it('refuses chunks of different shapes, naming the first that differs', () => {
    const chunks = [
      chunk('a', 0, 4, 4, 3, 0),
      chunk('a', 1, 4, 4, 3, 0),
      chunk('b', 5, 4, 3, 3, 0),
    ];
    expect(() => collateBatch(chunks, 0)).toThrow(
      new TypeError(
        'Expected every small chunk of a batch to be 4×4×3, got 4×3×3 from patient "b" at (5, 10)',
      ),
    );
  });

  it('returns a plain Uint8Array that owns its whole ArrayBuffer (transferable, not a Buffer)', () => {
    const chunks = Array.from({ length: 4 }, (_, i) => chunk('p', i, 5, 3, 3, i));
    const b = collateBatch(chunks, 0);
    expect(Object.getPrototypeOf(b.data)).toBe(Uint8Array.prototype);
    expect(b.data.byteOffset).toBe(0);
    expect(b.data.buffer.byteLength).toBe(4 * 5 * 3 * 3);
    const expected = [...b.data];
    const moved = structuredClone(b.data, { transfer: [b.data.buffer as ArrayBuffer] });
    expect(b.data.byteLength).toBe(0); // detached: moved, not copied
    expect([...moved]).toEqual(expected);
  });

  it('refuses a chunk whose pixels are not exactly width × height × channels bytes', () => {
    const good = chunk('p', 0, 4, 4, 3, 0);
    const short = { ...chunk('q', 7, 4, 4, 3, 0), data: new Uint8Array(4 * 4 * 3 - 1) };
    expect(() => collateBatch([good, short], 0)).toThrow(
      'Expected 48 bytes of pixels for a 4×4×3 small chunk, got 47 from patient "q" at (7, 14)',
    );
  });

  it('writes into the memory it is given, over what was there, and returns that very array', () => {
    const chunks = [chunk('p', 0, 4, 3, 3, 5), chunk('q', 1, 4, 3, 3, 90)];
    const into = new Uint8Array(2 * 4 * 3 * 3).fill(0xee);
    const batch = collateBatch(chunks, 3, into);
    expect(batch.data).toBe(into);
    expect(batch.data).toEqual(collateBatch(chunks, 3).data);
    expect(batch.shape).toEqual([2, 3, 4, 3]);
  });

  it('refuses memory of the wrong size or type, naming the size needed', () => {
    const chunks = [chunk('p', 0, 4, 3, 3, 5), chunk('q', 1, 4, 3, 3, 90)];
    expect(() => collateBatch(chunks, 0, new Uint8Array(71))).toThrow(
      new RangeError('Expected `into.length` to be 72 (2 × 3 × 4 × 3), got `71` (number)'),
    );
    expect(() => collateBatch(chunks, 0, new Uint16Array(72) as unknown as Uint8Array)).toThrow(
      TypeError,
    );
  });

  it('refuses an empty batch', () => {
    expect(() => collateBatch([], 0)).toThrow(
      new TypeError('Expected at least one small chunk to collate'),
    );
  });
});
