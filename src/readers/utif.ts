/**
 * The pure-JS utif2 TIFF reader, as the subpath export `lightdl/readers/utif`: importing it
 * loads utif2 (and not sharp).
 *
 * @packageDocumentation
 */
export { Utif2Reader } from './utif2-reader.js';
export type {
  ImageReader,
  ImageLevel,
  ImageFormat,
  ImageCompression,
  ReaderName,
} from './image-reader.js';
export type { RegionPixels } from './region-pixels.js';
export type { ReadRegionOptions } from './read-region-options.js';
export type { ReaderOptions } from './reader-options.js';
export { ImageError } from '../errors.js';
export type { ImageErrorCode } from '../errors.js';
