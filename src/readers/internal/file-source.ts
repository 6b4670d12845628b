/**
 * Positional, bounds-checked reads of one file, with file-system failures turned into
 * {@link ImageError}s naming the file.
 *
 * @internal
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ImageError } from '../../errors.js';

/** A file opened for positional reads. */
export class FileSource {
  readonly path: string;
  readonly size: number;
  #handle: FileHandle | undefined;

  private constructor(path: string, handle: FileHandle, size: number) {
    this.path = path;
    this.#handle = handle;
    this.size = size;
  }

  /** Opens `path`; rejects with `ERR_FILE_NOT_FOUND` or `ERR_NOT_AN_IMAGE` (a directory). */
  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw fileError(path, err);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new ImageError('ERR_NOT_AN_IMAGE', 'Not a regular file', { path });
      }
      return new FileSource(path, handle, stat.size);
    } catch (err) {
      await handle.close();
      throw err instanceof ImageError ? err : fileError(path, err);
    }
  }

  /**
   * Reads `length` bytes at `offset` into a fresh, standalone buffer (byteOffset 0). Rejects with
   * `ERR_IMAGE_DECODE` if the range goes past the end of the file: `what` names the structure.
   */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new ImageError(
        'ERR_IMAGE_DECODE',
        `Corrupt or truncated file: ${what} (bytes ${offset}..${offset + length}) lies past the end of the file (${this.size} bytes)`,
        { path: this.path },
      );
    }
    const handle = this.#handle;
    if (handle === undefined) throw new TypeError(`Cannot read from a closed file: ${this.path}`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(out, done, length - done, offset + done));
      } catch (err) {
        throw fileError(this.path, err);
      }
      if (n === 0) {
        throw new ImageError('ERR_IMAGE_DECODE', `File shrank while being read: ${what}`, {
          path: this.path,
        });
      }
      done += n;
    }
    return out;
  }

  /** Closes the file; idempotent. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}

/** Maps a file-system error to an {@link ImageError}. */
export function fileError(path: string, err: unknown): ImageError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ImageError('ERR_FILE_NOT_FOUND', 'File not found', { path }, { cause: err });
  }
  if (code === 'EISDIR') {
    return new ImageError('ERR_NOT_AN_IMAGE', 'Not a regular file', { path }, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ImageError(
    'ERR_IMAGE_DECODE',
    `Cannot read file: ${message}`,
    { path },
    { cause: err },
  );
}
