/**
 * A young-generation garbage collection on demand, for the threads that read regions.
 *
 * sharp hands each decoded region over as a `Buffer` of external memory (12 MiB for a 2048² RGB
 * region), which the load copies into shared memory and drops at once. V8 frees such memory in
 * a cheap young collection only when it happens to run one; its own trigger for external memory
 * fires when JavaScript allocates an `ArrayBuffer`, not when native code hands one over. Whether
 * a worker got young collections therefore depended on what else it did: with three or four
 * active patients, each worker ran a full collection every one or two loads instead (38–42 per
 * ~50 loads, `--trace-gc`), costing 25% more CPU per patch. A young collection after each load
 * frees the dropped buffer at once, whatever the mix of jobs.
 *
 * V8 exposes `gc()` only with `--expose-gc`. Unless the process already has it, the flag is
 * switched on just long enough to take the function from a fresh context, then off again, so no
 * other context gains a `gc` global.
 *
 * @internal
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type Gc = (options: { readonly type: 'minor' | 'major' }) => void;

let gc: Gc | null | undefined;

function obtain(): Gc | null {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as Gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    const taken = vm.runInNewContext('gc') as unknown;
    return typeof taken === 'function' ? (taken as Gc) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/** Runs a young-generation collection on this thread; does nothing where V8 does not allow it. */
export function collectYoung(): void {
  if (gc === undefined) gc = obtain();
  gc?.({ type: 'minor' });
}
