/**
 * Turns sharp/libvips errors (plain `Error`s with libvips' message text) into typed
 * {@link ImageError}s.
 *
 * @internal
 */
import { ImageError, type ErrorContext } from '../../errors.js';

/** The {@link ImageError} for an error thrown by sharp while reading the file in `context`. */
export function fromSharpError(err: unknown, context: ErrorContext): ImageError {
  if (err instanceof ImageError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  if (/Input file is missing/i.test(text)) {
    return new ImageError('ERR_FILE_NOT_FOUND', 'File not found', context, { cause: err });
  }
  if (/unsupported image format/i.test(text)) {
    return new ImageError('ERR_NOT_AN_IMAGE', `Not an image sharp can read: ${line}`, context, {
      cause: err,
    });
  }
  if (/compression/i.test(text) && /not (configured|implemented|supported)/i.test(text)) {
    return new ImageError(
      'ERR_UNSUPPORTED_COMPRESSION',
      `Unsupported compression: ${line}`,
      context,
      {
        cause: err,
      },
    );
  }
  if (/bad extract area/i.test(text)) {
    return new ImageError(
      'ERR_REGION_OUT_OF_BOUNDS',
      `Region outside the image: ${line}`,
      context,
      {
        cause: err,
      },
    );
  }
  return new ImageError('ERR_IMAGE_DECODE', `Cannot decode: ${line}`, context, { cause: err });
}
