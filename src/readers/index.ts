/**
 * Image readers: one {@link ImageReader} interface behind {@link openImage}, which reads tiled
 * pyramidal TIFFs (and any image sharp reads) region by region at any level, plus
 * {@link makeSyntheticSlide}, which writes tissue-like test slides.
 *
 * @remarks
 * Neither sharp nor utif2 is loaded by importing this module: {@link openImage} imports the
 * reader it needs on first use. The reader classes themselves are the subpath exports
 * `lightdl/readers/sharp` (`SharpReader`) and `lightdl/readers/utif` (`Utif2Reader`).
 *
 * @packageDocumentation
 */
export { openImage } from './open-image.js';
export type { OpenImageOptions } from './open-image.js';
export type {
  ImageReader,
  OpenedImage,
  ImageLevel,
  ImageFormat,
  ImageCompression,
  ReaderName,
} from './image-reader.js';
export type { RegionPixels } from './region-pixels.js';
export type { ReadRegionOptions } from './read-region-options.js';
export type { ReaderOptions } from './reader-options.js';
export { makeSyntheticSlide } from './make-synthetic-slide.js';
export type { MakeSyntheticSlideOptions, SyntheticSlide } from './make-synthetic-slide.js';
