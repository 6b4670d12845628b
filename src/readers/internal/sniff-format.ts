/**
 * Image format detection from a file's first bytes (its signature), never from its name.
 *
 * @internal
 */
import type { ImageFormat } from '../image-reader.js';

/** How many leading bytes {@link sniffFormat} needs. */
export const SNIFF_BYTES = 16;

/** What the signature says, or `undefined` for no known image signature. */
export interface Sniffed {
  readonly format: ImageFormat;
  /** BigTIFF (64-bit offsets), for TIFF only. */
  readonly bigTiff: boolean;
}

function ascii(bytes: Uint8Array, start: number, text: string): boolean {
  if (bytes.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** Identifies the format from the file's first {@link SNIFF_BYTES} bytes. */
export function sniffFormat(bytes: Uint8Array): Sniffed | undefined {
  if (ascii(bytes, 0, 'II') || ascii(bytes, 0, 'MM')) {
    const le = bytes[0] === 0x49;
    const version = le
      ? (bytes[2] ?? 0) | ((bytes[3] ?? 0) << 8)
      : ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    if (version === 42) return { format: 'tiff', bigTiff: false };
    if (version === 43) return { format: 'tiff', bigTiff: true };
    return undefined;
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { format: 'png', bigTiff: false };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { format: 'jpeg', bigTiff: false };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { format: 'webp', bigTiff: false };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))
    return { format: 'gif', bigTiff: false };
  if (ascii(bytes, 4, 'ftyp')) {
    for (const brand of ['avif', 'avis', 'heic', 'heix', 'mif1', 'msf1']) {
      if (ascii(bytes, 8, brand)) return { format: 'heif', bigTiff: false };
    }
    return undefined;
  }
  if (
    startsWith(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) ||
    startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])
  ) {
    return { format: 'jp2', bigTiff: false };
  }
  return undefined;
}
