/**
 * Backpressure for RxJS: a demand protocol ({@link Flowable}) and the bounded operators built on
 * it, plus the bridges between Observables and async iterables.
 *
 * @remarks
 * RxJS has no backpressure: `from(asyncIterable).pipe(mergeMap(work, 2))` reads the whole source
 * before the first result, and `mergeMap` buffers without limit. Here demand flows from the
 * consumer up: each stage grants its upstream only the credit it has room for, so nothing is
 * produced past a stage's bound, and unsubscribing (or `break`ing out of a `for await`, or
 * aborting a signal) tears the chain down to the running jobs and the source iterator.
 *
 * @packageDocumentation
 */

// ── the demand protocol ──
export { Flowable } from './flowable.js';
export type { Demand } from './demand.js';
export type { FlowSink } from './flow-sink.js';
export type { FlowProducer } from './flow-producer.js';
export type { FlowSubscription } from './flow-subscription.js';
export type { StageOperator } from './stage-operator.js';

// ── bridges ──
export { fromAsyncIterable } from './from-async-iterable.js';
export type { FromAsyncIterableOptions } from './from-async-iterable-options.js';
export { toAsyncIterable } from './to-async-iterable.js';
export type { ToAsyncIterableOptions } from './to-async-iterable-options.js';
export type { ToAsyncIterableStats } from './to-async-iterable-stats.js';
export type { BoundedAsyncIterator } from './bounded-async-iterator.js';

// ── operators ──
export { boundedQueue } from './bounded-queue.js';
export type { BoundedQueueOptions } from './bounded-queue-options.js';
export type { BoundedQueueStats } from './bounded-queue-stats.js';
export { mapInPool } from './map-in-pool.js';
export type { MapInPoolOptions } from './map-in-pool-options.js';
export type { MapInPoolStats } from './map-in-pool-stats.js';
export { roundRobinMerge } from './round-robin-merge.js';
export type { RoundRobinMergeOptions } from './round-robin-merge-options.js';
export type { RoundRobinMergeStats } from './round-robin-merge-stats.js';
export type { RoundRobinSourceStats } from './round-robin-source-stats.js';
export type { RoundRobinMerger } from './round-robin-merger.js';
export { batch } from './batch.js';
export type { BatchOptions } from './batch-options.js';
export type { BatchStats } from './batch-stats.js';
