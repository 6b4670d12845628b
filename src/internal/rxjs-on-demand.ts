/**
 * RxJS, loaded the first time it is needed. The job executor on its own (`lightdl/pool`) uses
 * RxJS only for `results$` and for Observable sources; loading all of RxJS up front would add
 * about 1.7 MB to the main thread's heap, and every full collection marks that heap again (with
 * results of 1 MiB, V8 runs one every few dozen jobs).
 *
 * In Node, `import 'rxjs'` and `require('rxjs')` resolve to the same build (the `node` condition
 * of RxJS's exports map names its CommonJS build for both), so what this loads is the very module
 * the rest of lightdl and the user's code import: one `Subject` class, one `Observable` class.
 *
 * @internal
 */
import { createRequire } from 'node:module';
import type * as RxJS from 'rxjs';
import type { Observable } from 'rxjs';

let loaded: typeof RxJS | undefined;

/** The `rxjs` module, loaded on first call. */
export function rxjs(): typeof RxJS {
  loaded ??= createRequire(import.meta.url)('rxjs') as typeof RxJS;
  return loaded;
}

/**
 * RxJS's `isObservable`, without loading RxJS for a value that cannot be an Observable (RxJS
 * itself recognises one by its `lift` and `subscribe` methods).
 */
export function isObservableOnDemand(value: unknown): value is Observable<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as { lift?: unknown; subscribe?: unknown };
  if (typeof candidate.lift !== 'function' || typeof candidate.subscribe !== 'function') {
    return false;
  }
  return rxjs().isObservable(value);
}
