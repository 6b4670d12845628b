import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { cropPixels } from '../../src/collectors/crop-pixels.js';

const runs = Number(process.env['FC_NUM_RUNS']) || 100;

/** The obvious pixel-by-pixel crop. */
function naiveCrop(
  source: Uint8Array,
  sourceWidth: number,
  channels: number,
  x: number,
  y: number,
  width: number,
  height: number,
): number[] {
  const out: number[] = [];
  for (let row = y; row < y + height; row++) {
    for (let col = x; col < x + width; col++) {
      for (let c = 0; c < channels; c++)
        out.push(source[(row * sourceWidth + col) * channels + c]!);
    }
  }
  return out;
}

/** A source image and a rectangle inside it. */
const inside = fc
  .record({
    w: fc.integer({ min: 1, max: 24 }),
    h: fc.integer({ min: 1, max: 24 }),
    channels: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
  })
  .chain((source) =>
    fc
      .record({
        x: fc.integer({ min: 0, max: source.w - 1 }),
        y: fc.integer({ min: 0, max: source.h - 1 }),
      })
      .chain((at) =>
        fc
          .record({
            width: fc.integer({ min: 1, max: source.w - at.x }),
            height: fc.integer({ min: 1, max: source.h - at.y }),
          })
          .map((size) => ({ ...source, ...at, ...size })),
      ),
  );

function image(w: number, h: number, channels: number, seed: number): Uint8Array {
  const data = new Uint8Array(w * h * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761 + seed) >>> 24;
  return data;
}

describe('cropPixels', () => {
  test.prop([inside], { numRuns: runs })(
    'equals a naive pixel-by-pixel crop, in a tightly packed buffer of its own',
    ({ w, h, channels, seed, x, y, width, height }) => {
      const src = image(w, h, channels, seed);
      const out = cropPixels(src, w, channels, x, y, width, height);
      expect([...out]).toEqual(naiveCrop(src, w, channels, x, y, width, height));
      expect(out.byteOffset).toBe(0);
      expect(out.buffer.byteLength).toBe(width * height * channels);
    },
  );

  it('crops from a view into shared memory without aliasing it', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4 * 3 * 3));
    shared.set(image(4, 3, 3, 7));
    const out = cropPixels(shared, 4, 3, 1, 1, 2, 2);
    expect(out.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...out]).toEqual(naiveCrop(shared, 4, 3, 1, 1, 2, 2));
    shared.fill(0);
    expect(out.some((v) => v !== 0)).toBe(true);
  });

  it.each([
    ['past the right edge', 3, 0, 2, 1],
    ['past the bottom edge', 0, 2, 1, 2],
    ['at a negative x', -1, 0, 1, 1],
    ['at a fractional y', 0, 0.5, 1, 1],
    ['of zero width', 0, 0, 0, 1],
  ])('refuses a rectangle %s with the house message', (_, x, y, width, height) => {
    expect(() => cropPixels(new Uint8Array(4 * 3 * 3), 4, 3, x, y, width, height)).toThrow(
      new RangeError(
        `Expected \`rectangle\` to be inside the 4×3 source, got \`${JSON.stringify({ x, y, width, height })}\` (object)`,
      ),
    );
  });

  it('writes into `into` when given (shared memory included) and returns it', () => {
    const src = image(6, 5, 3, 3);
    const block = new Uint8Array(new SharedArrayBuffer(100)).fill(9);
    const into = block.subarray(10, 10 + 3 * 2 * 3);
    const out = cropPixels(src, 6, 3, 2, 1, 3, 2, into);
    expect(out).toBe(into);
    expect([...out]).toEqual(naiveCrop(src, 6, 3, 2, 1, 3, 2));
    // Nothing outside `into` was touched.
    expect([...block.subarray(0, 10), ...block.subarray(28)].every((v) => v === 9)).toBe(true);
  });

  it('refuses an `into` of the wrong length with the house message', () => {
    expect(() => cropPixels(image(6, 5, 3, 3), 6, 3, 0, 0, 3, 2, new Uint8Array(17))).toThrow(
      new RangeError('Expected `into.length` to be 18 (3×2×3), got `17` (number)'),
    );
  });
});
