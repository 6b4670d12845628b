/**
 * Guarantees the transferability contract of region pixels.
 *
 * @internal
 */

/**
 * A plain `Uint8Array` (not a `Buffer`, whose `slice()` shares memory) over `bytes`' own buffer if
 * that buffer is exactly its bytes (transferable without a copy), else a copy into a fresh
 * `ArrayBuffer` of exactly that size.
 */
export function standalone(bytes: Uint8Array): Uint8Array {
  const buffer = bytes.buffer;
  if (
    buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === buffer.byteLength
  ) {
    return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(buffer);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
