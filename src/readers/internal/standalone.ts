/**
 * Guarantees the transferability contract of region pixels.
 *
 * @internal
 */

/**
 * A copy of `bytes` in a fresh `ArrayBuffer` of exactly its size (a plain `Uint8Array`, not a
 * `Buffer`, whose `slice()` shares memory): for memory that Node would copy rather than move on
 * transfer, such as the external buffers sharp's `toBuffer()` returns.
 */
export function ownedCopy(bytes: Uint8Array, shared = false): Uint8Array {
  const copy = new Uint8Array(
    shared ? new SharedArrayBuffer(bytes.byteLength) : new ArrayBuffer(bytes.byteLength),
  );
  copy.set(bytes);
  return copy;
}
