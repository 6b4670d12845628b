/**
 * A bounded TIFF LZW decoder (MSB-first codes, 9 to 12 bits, early change), used instead of
 * utif2's, which loops forever on some corrupt streams (a full code table without a clear code).
 * Every code is checked: an invalid one throws, so corrupt data fails fast.
 *
 * @internal
 */

const CLEAR = 256;
const END = 257;
const FIRST_FREE = 258;
const MAX_CODES = 4096;

/** Thrown for a stream that is not valid TIFF LZW. */
export class LzwError extends Error {}

/**
 * Decodes `src` into `out` (stopping when `out` is full or at the end-of-information code);
 * returns the number of bytes written.
 */
export function decodeLzw(src: Uint8Array, out: Uint8Array): number {
  const prefix = new Uint16Array(MAX_CODES);
  const suffix = new Uint8Array(MAX_CODES);
  const length = new Uint16Array(MAX_CODES);
  const first = new Uint8Array(MAX_CODES);
  for (let c = 0; c < 256; c++) {
    suffix[c] = c;
    first[c] = c;
    length[c] = 1;
  }
  const totalBits = src.length * 8;
  let bit = 0;
  let width = 9;
  let next = FIRST_FREE;
  let previous = -1;
  let written = 0;

  const emit = (code: number): void => {
    const n = length[code]!;
    let at = written + n - 1;
    let c = code;
    for (let i = 0; i < n; i++) {
      if (at < out.length) out[at] = suffix[c]!;
      at--;
      c = prefix[c]!;
    }
    written += n;
  };

  while (bit + width <= totalBits && written < out.length) {
    const byte = bit >>> 3;
    const window = ((src[byte] ?? 0) << 16) | ((src[byte + 1] ?? 0) << 8) | (src[byte + 2] ?? 0);
    const code = (window >>> (24 - (bit & 7) - width)) & ((1 << width) - 1);
    bit += width;
    if (code === END) break;
    if (code === CLEAR) {
      width = 9;
      next = FIRST_FREE;
      previous = -1;
      continue;
    }
    if (previous === -1) {
      if (code > 255) throw new LzwError(`LZW: code ${code} right after a clear code`);
      emit(code);
      previous = code;
      continue;
    }
    if (next >= MAX_CODES) throw new LzwError('LZW: code table full without a clear code');
    if (code < next) {
      emit(code);
      prefix[next] = previous;
      suffix[next] = first[code]!;
    } else if (code === next) {
      prefix[next] = previous;
      suffix[next] = first[previous]!;
    } else {
      throw new LzwError(`LZW: code ${code} is not in the table (next free ${next})`);
    }
    length[next] = length[previous]! + 1;
    first[next] = first[previous]!;
    if (code === next) emit(code);
    next++;
    if (next + 1 === 1 << width && width < 12) width++;
    previous = code;
  }
  return Math.min(written, out.length);
}
