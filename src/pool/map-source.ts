import type { Observable } from 'rxjs';

/**
 * What {@link JobExecutor.map} and {@link JobExecutor.runAll} accept: an iterable (pulled on
 * demand), an async iterable (pulled on demand) or an `Observable` (buffered, since it cannot be
 * paused).
 *
 * @typeParam T - Item type.
 * @example
 * ```ts
 * const fromArray: MapSource<number> = [1, 2, 3];
 * const fromGenerator: MapSource<number> = (async function* () { yield 1; })();
 * ```
 */
export type MapSource<T> = Iterable<T> | AsyncIterable<T> | Observable<T>;
