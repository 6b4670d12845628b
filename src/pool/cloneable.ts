/**
 * A walk over a value that finds what structured clone would refuse (functions, symbols,
 * promises, weak collections) before `postMessage` does, and collects the `ArrayBuffer`s a
 * result can move instead of copy.
 *
 * @internal
 */

/** What the walk found. */
export interface CloneInspection {
  /** Path and kind of the first value structured clone would refuse, if any. */
  readonly problem:
    { readonly path: string; readonly kind: string; readonly value: unknown } | undefined;
  /** Distinct, non-empty, non-shared `ArrayBuffer`s reachable from the value (when collecting). */
  readonly buffers: readonly ArrayBuffer[];
}

/** The walk gives up (and reports nothing more) after this many objects. */
const MAX_OBJECTS = 100_000;

const NONE: CloneInspection = Object.freeze({ problem: undefined, buffers: Object.freeze([]) });

/**
 * Inspects `value` for structured-clone problems; with `collect`, also gathers the
 * `ArrayBuffer`s reachable from it (typed arrays' and DataViews' buffers included).
 */
export function inspectCloneable(value: unknown, collect: boolean): CloneInspection {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return typeof value === 'symbol'
      ? { problem: { path: '', kind: 'symbol', value }, buffers: [] }
      : NONE;
  }
  const buffers: ArrayBuffer[] = [];
  const seen = new Set<object>();
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  let visited = 0;
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'function') return { problem: { path, kind: 'function', value: v }, buffers };
    if (typeof v === 'symbol') return { problem: { path, kind: 'symbol', value: v }, buffers };
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) continue;
    seen.add(v);
    if (++visited > MAX_OBJECTS) break;
    if (v instanceof ArrayBuffer) {
      if (collect && v.byteLength > 0) buffers.push(v);
      continue;
    }
    if (ArrayBuffer.isView(v)) {
      const buffer = v.buffer;
      if (collect && buffer instanceof ArrayBuffer && buffer.byteLength > 0 && !seen.has(buffer)) {
        seen.add(buffer);
        buffers.push(buffer);
      }
      continue;
    }
    const refused = refusedKind(v);
    if (refused !== undefined) return { problem: { path, kind: refused, value: v }, buffers };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const item: unknown = v[i];
        if (
          item !== null &&
          (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol')
        ) {
          stack.push({ value: item, path: `${path}[${i}]` });
        }
      }
      continue;
    }
    if (v instanceof Map) {
      let i = 0;
      for (const [key, item] of v) {
        stack.push({ value: key, path: `${path}.<key ${i}>` });
        stack.push({ value: item, path: `${path}.<value ${i}>` });
        i++;
      }
      continue;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const item of v) stack.push({ value: item, path: `${path}.<item ${i++}>` });
      continue;
    }
    if (v instanceof Date || v instanceof RegExp || v instanceof Error) continue;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      if (
        item !== null &&
        (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol')
      ) {
        stack.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return { problem: undefined, buffers };
}

function refusedKind(v: object): string | undefined {
  if (v instanceof Promise) return 'Promise';
  if (v instanceof WeakMap) return 'WeakMap';
  if (v instanceof WeakSet) return 'WeakSet';
  if (v instanceof WeakRef) return 'WeakRef';
  return undefined;
}
