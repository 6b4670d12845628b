/**
 * The worker module of the loader tree: the executor runs its default export for every load and
 * collect job. Keeps, per worker, the resolved loader/collector functions and a small cache of
 * open images.
 *
 * @internal
 */
import { randomPatchesCollector } from '../collectors/random-patches.js';
import type { SmallChunkCollector } from '../collectors/small-chunk-collector.js';
import type { BigChunkLoader } from '../loaders/big-chunk-loader.js';
import { randomRegionLoader } from '../loaders/random-region.js';
import type { JobContext } from '../pool/job-context.js';
import { loadModule } from '../pool/module-loader.js';
import { PRELOAD_ENV } from './internal/preload-env.js';
import { openImage } from '../readers/index.js';
import type { OpenedImage, OpenImageOptions } from '../readers/index.js';
import {
  runCollectJob,
  runLoadJob,
  type CollectResult,
  type LoadResult,
  type ResolvedSpec,
  type TreeJob,
  type TreeWorkerState,
} from './tree-job.js';

const BUILTIN_LOADERS: Readonly<Record<string, BigChunkLoader>> = Object.freeze({
  randomRegion: randomRegionLoader as BigChunkLoader,
});
const BUILTIN_COLLECTORS: Readonly<Record<string, SmallChunkCollector>> = Object.freeze({
  randomPatches: randomPatchesCollector as SmallChunkCollector,
});

/** Images kept open per worker (least recently used closed first). */
const MAX_OPEN_IMAGES = 32;

const functions = new Map<string, Promise<unknown>>();
const images = new Map<string, Promise<OpenedImage>>();

async function resolve<F>(
  spec: ResolvedSpec,
  builtins: Readonly<Record<string, F>>,
  what: string,
): Promise<F> {
  if (spec.kind === 'builtin') {
    const fn = builtins[spec.name];
    if (fn === undefined)
      throw new TypeError(`Unknown built-in ${what} ${JSON.stringify(spec.name)}`);
    return fn;
  }
  const key = `${spec.href}#${spec.export}`;
  let pending = functions.get(key);
  if (pending === undefined) {
    pending = loadModule(spec.href).then((ns) => {
      const fn = ns[spec.export];
      if (typeof fn !== 'function') {
        throw new TypeError(
          `Expected ${spec.href} to export a ${what} function as \`${spec.export}\`, got ${typeof fn}`,
        );
      }
      return fn;
    });
    functions.set(key, pending);
    pending.catch(() => functions.delete(key));
  }
  return (await pending) as F;
}

const state: TreeWorkerState = {
  resolveLoader: (spec) => resolve(spec, BUILTIN_LOADERS, 'big-chunk loader'),
  resolveCollector: (spec) => resolve(spec, BUILTIN_COLLECTORS, 'small-chunk collector'),
  async openImage(path: string, options: OpenImageOptions): Promise<OpenedImage> {
    const key = `${options.reader ?? 'auto'}\u0000${options.maxRegionPixels ?? ''}\u0000${path}`;
    let pending = images.get(key);
    if (pending === undefined) {
      // The cached image outlives this job: open it without the job's signal.
      const { signal: _signal, ...rest } = options;
      pending = openImage(path, rest);
      images.set(key, pending);
      pending.catch(() => images.delete(key));
      while (images.size > MAX_OPEN_IMAGES) {
        const [oldestKey, oldest] = images.entries().next().value as [string, Promise<OpenedImage>];
        images.delete(oldestKey);
        oldest.then((img) => img.close()).catch(() => {});
      }
    } else {
      // Refresh its place in the LRU order.
      images.delete(key);
      images.set(key, pending);
    }
    options.signal?.throwIfAborted();
    return pending;
  },
};

/**
 * Loads the user's loader and collector modules when the worker starts, so that a job's time
 * (`jobTimeoutMs`) never includes their import. A module that fails to load is left for the
 * first job to report, the usual way (a `LoaderError` or `CollectorError` naming the patient).
 */
export async function workerInit(): Promise<void> {
  const text = process.env[PRELOAD_ENV];
  if (text === undefined || text === '') return;
  const specs = JSON.parse(text) as { href: string; export: string }[];
  await Promise.all(
    specs.map((s) =>
      resolve({ kind: 'module', href: s.href, export: s.export, options: undefined }, {}, 'module')
        .then(() => undefined)
        .catch(() => undefined),
    ),
  );
}

/**
 * Closes every image this module instance keeps open. Called when the executor closes in debug
 * mode (worker threads are simply terminated).
 */
export async function workerTeardown(): Promise<void> {
  const open = [...images.values()];
  images.clear();
  await Promise.allSettled(open.map(async (pending) => (await pending).close()));
}

/** Images this module instance keeps open now (for tests). @internal */
export function openImageCount(): number {
  return images.size;
}

/** Runs one job of the loader tree. */
export default function treeJob(
  job: TreeJob,
  context: JobContext,
): Promise<LoadResult | CollectResult> {
  return job.kind === 'load'
    ? runLoadJob(job, state, context.signal)
    : runCollectJob(job, state, context.signal);
}
