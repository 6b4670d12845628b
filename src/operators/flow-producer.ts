import type { TeardownLogic } from 'rxjs';
import type { Demand } from './demand.js';
import type { FlowSink } from './flow-sink.js';

/**
 * The function a {@link Flowable} runs once per subscription: it emits into `sink` no more items
 * than `demand` allows, and returns its teardown (run on unsubscribe, error or completion).
 *
 * @typeParam T - Item type.
 * @param sink - Where to deliver items; each `next` spends one unit of credit.
 * @param demand - The subscriber's credit and the grant listener.
 * @returns The teardown: a function, a `Subscription`, an `Unsubscribable`, or nothing.
 * @example
 * ```ts
 * const ticks: FlowProducer<number> = (sink, demand) => {
 *   let n = 0;
 *   demand.onRequest(() => {
 *     while (demand.credit > 0 && !sink.closed) sink.next(n++);
 *   });
 *   return () => console.log(`stopped after ${n}`);
 * };
 * ```
 */
export type FlowProducer<T> = (sink: FlowSink<T>, demand: Demand) => TeardownLogic;
