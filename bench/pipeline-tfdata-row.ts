/**
 * The row a TensorFlow.js user writes without lightdl: a `tf.data` generator that reads each
 * region with sharp (on libuv's thread pool), cuts its patches on the main thread and yields each
 * as a tensor, batched by `tf.data` (`.batch(32)`), on the pure-JavaScript CPU backend (the
 * native one cannot be installed everywhere). TensorFlow.js has no uint8 tensors: patches become
 * `int32`. The consumer disposes each batch. TensorFlow.js is imported when the row runs, so the
 * other rows' processes do not carry it.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { readRegion } from './pipeline-read.js';
import {
  BATCH_SIZE,
  CHANNELS,
  PATCH_SIZE,
  cutPatches,
  regionPlan,
  type RowDefinition,
  type RowEnv,
  type RowOutput,
} from './pipeline-workload.js';

/** A `tf.data` pipeline on the main thread. */
export const tfDataRow: RowDefinition = {
  label: 'tf.data (generator of patch tensors, .batch(32), CPU backend)',
  workers: false,
  async *run(env: RowEnv): AsyncGenerator<RowOutput> {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const tfd = await import('@tensorflow/tfjs-data');
    await tf.setBackend('cpu');
    const next = regionPlan(env.slides, env.seed);
    const dataset = tfd
      .generator(async function* () {
        for (;;) {
          const task = next();
          for (const patch of cutPatches(task, await readRegion(task, env.reads))) {
            yield tf.tensor3d(patch, [PATCH_SIZE, PATCH_SIZE, CHANNELS], 'int32');
          }
        }
      })
      .batch(BATCH_SIZE);
    const iterator = await dataset.iterator();
    for (;;) {
      const result = (await iterator.next()) as IteratorResult<Tensor>;
      if (result.done === true) return;
      const batch = result.value;
      const count = batch.shape[0] ?? 0;
      batch.dispose();
      yield { count };
    }
  },
};
