import type { MapOptions } from './map-options.js';

/**
 * Options of {@link JobExecutor.runAll}: those of {@link JobExecutor.map} except `ordered`
 * (results always come in submission order).
 *
 * @typeParam I - Job input.
 * @example
 * ```ts
 * const options: RunAllOptions<number> = { concurrency: 8, settle: true };
 * ```
 */
export type RunAllOptions<I> = Omit<MapOptions<I>, 'ordered'>;
