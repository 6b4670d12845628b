/**
 * Observability helpers: the bounded log of served samples and the patch map drawn from it.
 *
 * @packageDocumentation
 */
export { ServedLog } from './served-log.js';
export type { ServedSample } from './served-log.js';
export { drawPatchMap } from './draw-patch-map.js';
export type { DrawPatchMapOptions } from './draw-patch-map.js';
