/**
 * The sharp (libvips) image reader, as the subpath export `lightdl/readers/sharp`: importing it
 * loads sharp.
 *
 * @packageDocumentation
 */
export { SharpReader } from './sharp-reader.js';
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
