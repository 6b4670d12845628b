import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LzwError, decodeLzw } from '../../../src/readers/internal/lzw.js';
import { fcRuns } from '../support/images.js';

/** A TIFF LZW encoder (MSB-first, early change, clear at 4094 entries) to test the decoder against. */
function encodeLzw(input: Uint8Array): Uint8Array {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  let width = 9;
  const put = (code: number): void => {
    acc = (acc << width) | code;
    bits += width;
    while (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  };
  let table = new Map<string, number>();
  let next = 258;
  const reset = (): void => {
    table = new Map();
    next = 258;
  };
  put(256);
  let w = '';
  for (const b of input) {
    const wc = `${w},${b}`;
    if (w === '' || table.has(wc)) {
      w = w === '' ? `${b}` : wc;
      if (!table.has(w) && !w.includes(',')) w = `${b}`;
      continue;
    }
    put(w.includes(',') ? table.get(w)! : Number(w));
    table.set(wc, next++);
    if (next + 1 === 1 << width && width < 12) width++;
    if (next === 4094) {
      put(256);
      width = 9;
      reset();
    }
    w = `${b}`;
  }
  if (w !== '') put(w.includes(',') ? table.get(w)! : Number(w));
  put(257);
  if (bits > 0) bytes.push((acc << (8 - bits)) & 255);
  return new Uint8Array(bytes);
}

describe('decodeLzw', () => {
  it('inverts TIFF LZW encoding, across table resets', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          fc
            .uint8Array({ minLength: 1, maxLength: 8 })
            .chain((alphabet) =>
              fc
                .array(fc.constantFrom(...alphabet), { maxLength: 30000 })
                .map((a) => Uint8Array.from(a)),
            ),
        ),
        (input) => {
          const out = new Uint8Array(input.length);
          expect(decodeLzw(encodeLzw(input), out)).toBe(input.length);
          expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
        },
      ),
      { numRuns: fcRuns(100) },
    );
  });

  it('stops at the output size', () => {
    const input = Uint8Array.from({ length: 1000 }, (_, i) => i % 7);
    const out = new Uint8Array(10);
    expect(decodeLzw(encodeLzw(input), out)).toBe(10);
    expect(Array.from(out)).toEqual(Array.from(input.subarray(0, 10)));
  });

  it('throws LzwError or returns on arbitrary bytes, and always terminates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20000 }), (bytes) => {
        try {
          decodeLzw(bytes, new Uint8Array(65536));
        } catch (err) {
          expect(err).toBeInstanceOf(LzwError);
        }
      }),
      { numRuns: fcRuns(200) },
    );
  });

  it('rejects a code that is not in the table', () => {
    // Clear (256), 'A' (65), then code 300 while the next free code is 258.
    const stream = new Uint8Array([0x80, 0x10, 0x65, 0x80]);
    expect(() => decodeLzw(stream, new Uint8Array(10))).toThrow(
      'LZW: code 300 is not in the table (next free 258)',
    );
  });
});
