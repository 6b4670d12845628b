/**
 * @internal
 */
import { isObservable } from 'rxjs';
import type { Observable } from 'rxjs';
import { expected } from '../internal/validate.js';

/** Throws a `TypeError` unless `value` is an RxJS `Observable`. */
export function assertObservable<T>(name: string, value: unknown): Observable<T> {
  if (!isObservable(value)) throw new TypeError(expected(name, 'an Observable', value));
  return value as Observable<T>;
}
