import type { SmallChunk } from '../collectors/small-chunk.js';
import { expected } from '../internal/validate.js';
import type { Batch } from './batch.js';

/**
 * The default collation of {@link LightDL}: copies every small chunk's pixels into one
 * `Uint8Array` (N × H × W × C) and keeps their metadata.
 *
 * @remarks
 * One typed array per batch is what a training loop wants (TensorFlow.js builds one tensor from
 * it, about 5× faster than stacking per-sample tensors). All chunks of a batch must have the same
 * width, height and channels.
 *
 * @param chunks - The batch's small chunks (non-empty).
 * @param index - The batch number.
 * @param into - Memory to write the batch into instead of a new array (an earlier batch's,
 *   say): exactly N × H × W × C bytes. The batch's `data` is then `into` itself.
 * @returns The batch.
 * @throws TypeError when the chunks differ in shape, or a chunk's pixels are not exactly
 *   width × height × channels bytes (naming the first such chunk), or `into` is not a
 *   `Uint8Array`.
 * @throws RangeError when `into` is not exactly the batch's size (naming the size needed).
 * @example
 * ```ts
 * const dl = new LightDL({ ...options, collate: (chunks, i) => collateBatch(chunks, i) });
 * ```
 */
export function collateBatch(
  chunks: readonly SmallChunk[],
  index: number,
  into?: Uint8Array,
): Batch {
  const first = chunks[0];
  if (first === undefined) throw new TypeError('Expected at least one small chunk to collate');
  const { width, height, channels } = first;
  const size = width * height * channels;
  if (into !== undefined && !(into instanceof Uint8Array)) {
    throw new TypeError(expected('into', 'a Uint8Array', into));
  }
  if (into !== undefined && into.length !== size * chunks.length) {
    const shape = `${chunks.length} × ${height} × ${width} × ${channels}`;
    throw new RangeError(
      expected('into.length', `${size * chunks.length} (${shape})`, into.length),
    );
  }
  // Every byte is written below: memory that is not zero-filled first (and that the allocator
  // may hand back from an earlier, collected batch, without first-touch page faults) halves the
  // cost of a 32 × 224² batch. A plain `Uint8Array` owning its whole `ArrayBuffer`: transferable.
  const data = into ?? new Uint8Array(Buffer.allocUnsafeSlow(size * chunks.length).buffer);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i] as SmallChunk;
    if (c.width !== width || c.height !== height || c.channels !== channels) {
      throw new TypeError(
        `Expected every small chunk of a batch to be ${width}×${height}×${channels}, got ${c.width}×${c.height}×${c.channels} from patient ${JSON.stringify(c.info.patient)} at (${c.info.x}, ${c.info.y})`,
      );
    }
    if (c.data.length !== size) {
      throw new TypeError(
        `Expected ${size} bytes of pixels for a ${width}×${height}×${channels} small chunk, got ${c.data.length} from patient ${JSON.stringify(c.info.patient)} at (${c.info.x}, ${c.info.y})`,
      );
    }
    data.set(c.data, i * size);
  }
  return {
    data,
    shape: [chunks.length, height, width, channels],
    smallChunks: chunks.map((c) => c.info),
    index,
  };
}
