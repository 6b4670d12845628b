/**
 * Validation of the per-call options of `run`, `tryPut`, `map` and `runAll`, and of job inputs.
 *
 * @internal
 */
import type { TransferListItem } from 'node:worker_threads';
import {
  assertBoolean,
  assertFunction,
  assertInteger,
  assertNumber,
  assertSignal,
  expected,
} from '../internal/validate.js';
import { inspectCloneable } from './cloneable.js';
import type { ResolvedMapOptions } from './executor-map.js';
import type { MapOptions } from './map-options.js';
import type { RunOptions } from './run-options.js';

/** `run`/`tryPut` options, filled in. */
export interface ResolvedRunOptions {
  readonly signal: AbortSignal | undefined;
  readonly transfer: readonly TransferListItem[];
  readonly timeoutMs: number;
  readonly index: number | undefined;
}

const NO_TRANSFER: readonly TransferListItem[] = Object.freeze([]);

/** Validates `run`/`tryPut` options; `timeoutMs` defaults to the executor's. */
export function resolveRunOptions(
  options: RunOptions | undefined,
  defaultTimeoutMs: number,
): ResolvedRunOptions {
  if (options === undefined) {
    return {
      signal: undefined,
      transfer: NO_TRANSFER,
      timeoutMs: defaultTimeoutMs,
      index: undefined,
    };
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(expected('options', 'an object', options));
  }
  const index = options.index;
  if (index !== undefined && (typeof index !== 'number' || !Number.isFinite(index))) {
    throw new TypeError(expected('index', 'a finite number', index));
  }
  return {
    signal: assertSignal('signal', options.signal),
    transfer: resolveTransfer(options.transfer),
    timeoutMs:
      options.timeoutMs === undefined
        ? defaultTimeoutMs
        : assertNumber('timeoutMs', options.timeoutMs, 1),
    index,
  };
}

/**
 * Validates `map`/`runAll` options. `defaults.concurrency` is the default read-ahead,
 * `defaults.orderedConcurrency` (when given) the default of an ordered map.
 */
export function resolveMapOptions<I>(
  options: MapOptions<I> | undefined,
  defaults: {
    readonly concurrency: number;
    readonly orderedConcurrency?: number;
    readonly timeoutMs: number;
  },
): ResolvedMapOptions<I> {
  const o = options ?? {};
  if (o === null || typeof o !== 'object') throw new TypeError(expected('options', 'an object', o));
  if (o.transfer !== undefined) assertFunction('transfer', o.transfer);
  const transfer = o.transfer;
  const ordered = o.ordered === undefined ? true : assertBoolean('ordered', o.ordered);
  return {
    ordered,
    concurrency:
      o.concurrency === undefined
        ? ((ordered ? defaults.orderedConcurrency : undefined) ?? defaults.concurrency)
        : assertInteger('concurrency', o.concurrency, 1),
    signal: assertSignal('signal', o.signal),
    timeoutMs:
      o.timeoutMs === undefined ? defaults.timeoutMs : assertNumber('timeoutMs', o.timeoutMs, 1),
    transfer: transfer === undefined ? undefined : (input: I) => resolveTransfer(transfer(input)),
    settle: o.settle === undefined ? false : assertBoolean('settle', o.settle),
    sourceBufferSize:
      o.sourceBufferSize === undefined
        ? 1024
        : assertInteger('sourceBufferSize', o.sourceBufferSize, 1),
  };
}

/** Throws a `TypeError` naming the path of the first value structured clone would refuse. */
export function assertCloneableInput(input: unknown): void {
  const { problem } = inspectCloneable(input, false);
  if (problem !== undefined) {
    const what = 'structured-cloneable (no functions, symbols, promises or weak collections)';
    throw new TypeError(expected(`input${problem.path}`, what, problem.value));
  }
}

/** A transfer list with typed-array views replaced by their buffers and shared buffers left out. */
function resolveTransfer(transfer: unknown): readonly TransferListItem[] {
  if (transfer === undefined) return NO_TRANSFER;
  if (!Array.isArray(transfer))
    throw new TypeError(expected('transfer', 'an array of transferables', transfer));
  const out: TransferListItem[] = [];
  transfer.forEach((item: unknown, i) => {
    const target: unknown = ArrayBuffer.isView(item) ? item.buffer : item;
    if (target instanceof SharedArrayBuffer) return;
    if (target === null || typeof target !== 'object') {
      throw new TypeError(
        expected(`transfer[${i}]`, 'an ArrayBuffer, a typed array or a MessagePort', item),
      );
    }
    out.push(target as TransferListItem);
  });
  return out;
}
