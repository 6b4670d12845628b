import { Observable, Subscription } from 'rxjs';
import type { Observer, Subscriber } from 'rxjs';
import { assertFunction } from '../internal/validate.js';
import { DemandState } from './demand-state.js';
import type { FlowProducer } from './flow-producer.js';
import type { FlowSink } from './flow-sink.js';
import type { FlowSubscription } from './flow-subscription.js';

/**
 * An RxJS `Observable` that also speaks a demand protocol: a consumer can subscribe with credit
 * (Reactive-Streams `request(n)`) and the producer emits only against that credit.
 *
 * @remarks
 * **Two ways to subscribe.** `subscribe()` is the ordinary RxJS one and grants unbounded credit:
 * the producer runs as fast as its own pace allows (an async iterable is still pulled one item at
 * a time, but without pause). {@link Flowable.subscribeWithDemand} starts with zero credit and
 * returns a {@link FlowSubscription} whose `request(n)` grants more; nothing is produced past
 * what was granted.
 *
 * **Composition.** The operators of this module (`boundedQueue`, `mapInPool`, `roundRobinMerge`,
 * `batch`, `toAsyncIterable`) recognise a `Flowable` upstream and subscribe to it with demand, so
 * credit flows from the final consumer all the way up and every stage stays within its bound.
 * An ordinary RxJS operator placed in between (`map`, `filter`, `tap`…) still works, item for
 * item, but it returns a plain `Observable`: the stage above it sees unbounded demand and the
 * stage below it sees a source it cannot pause. Every stage of this module treats such a source
 * the same way: it buffers up to its own bound and fails with `QueueOverflowError` one item past
 * it, so memory stays bounded and an overrun is loud, never silent. Put ordinary operators after
 * the last bounded stage, or do the work in `mapInPool` with an in-process runner.
 *
 * **Typing.** RxJS types `pipe()` as returning `Observable`, so `flowable.pipe(boundedQueue(8))`
 * is a `Flowable` at run time but not in the type system. Call the operator on the source
 * (`boundedQueue<T>(8)(source)`) when the `Flowable` type is needed, e.g. for
 * `subscribeWithDemand`; {@link toAsyncIterable} and the operators detect a `Flowable` at run time
 * and need no cast.
 *
 * **Teardown.** Unsubscribing, completing or failing runs the producer's teardown at once
 * (closing its credit, so late grants are ignored).
 *
 * @typeParam T - Item type.
 * @example
 * ```ts
 * const naturals = new Flowable<number>((sink, demand) => {
 *   let i = 0;
 *   demand.onRequest(() => {
 *     while (demand.credit > 0 && !sink.closed) sink.next(i++);
 *   });
 * });
 * const sub = naturals.subscribeWithDemand({ next: (n) => console.log(n) });
 * sub.request(3); // logs 0, 1, 2 and nothing more
 * sub.unsubscribe();
 * ```
 */
export class Flowable<T> extends Observable<T> {
  readonly #produce: FlowProducer<T>;

  /**
   * @param produce - Runs once per subscription; emits into the sink against the demand and
   *   returns its teardown.
   * @throws `TypeError` when `produce` is not a function.
   */
  constructor(produce: FlowProducer<T>) {
    super(function (this: Observable<T>, subscriber: Subscriber<T>) {
      return (this as Flowable<T>).#open(subscriber, new DemandState(Infinity));
    });
    assertFunction('produce', produce);
    this.#produce = produce;
  }

  /**
   * Subscribes with zero initial credit; grant credit with the returned handle's `request(n)`.
   *
   * @remarks
   * Errors and completion are delivered whatever the credit. The observer's callbacks may call
   * `request` and `unsubscribe` on the returned handle (from inside `next` too).
   *
   * @param observer - The observer, or a `next` callback.
   * @returns The handle to grant credit and to unsubscribe.
   * @example
   * ```ts
   * const sub = fromAsyncIterable([1, 2, 3]).subscribeWithDemand((n) => console.log(n));
   * sub.request(2); // logs 1, 2
   * sub.request(1); // logs 3, then the subscription completes
   * ```
   */
  subscribeWithDemand(observer: Partial<Observer<T>> | ((value: T) => void)): FlowSubscription {
    const demand = new DemandState(0);
    const subscription = new Observable<T>((subscriber) =>
      this.#open(subscriber, demand),
    ).subscribe(typeof observer === 'function' ? { next: observer } : observer);
    return new CreditHandle(subscription, demand);
  }

  /**
   * Subscribes with unbounded credit and settles when the stream ends (the RxJS `Observable`
   * method, restated here).
   *
   * @param next - Called with each item.
   * @returns Resolves on completion, rejects with the stream's error.
   * @example
   * ```ts
   * await fromAsyncIterable([1, 2]).forEach((n) => console.log(n));
   * ```
   */
  override forEach(next: (value: T) => void): Promise<void> {
    return super.forEach(next);
  }

  /**
   * The last item, as a promise (the RxJS `Observable` method, restated here).
   *
   * @deprecated Use RxJS `lastValueFrom` or `firstValueFrom`, as RxJS itself advises.
   * @returns The last item, or `undefined` for an empty stream.
   * @example
   * ```ts
   * const last = await lastValueFrom(fromAsyncIterable([1, 2]));
   * ```
   */
  override toPromise(): Promise<T | undefined> {
    return super.toPromise();
  }

  #open(subscriber: Subscriber<T>, demand: DemandState): Subscription {
    const teardown = new Subscription(() => demand.close());
    const sink = new CreditedSink(subscriber, demand);
    teardown.add(this.#produce(sink, demand));
    return teardown;
  }
}

/** The producer's sink: spends credit on `next`, fails the subscription on overspending. */
class CreditedSink<T> implements FlowSink<T> {
  readonly #subscriber: Subscriber<T>;
  readonly #demand: DemandState;

  constructor(subscriber: Subscriber<T>, demand: DemandState) {
    this.#subscriber = subscriber;
    this.#demand = demand;
  }

  get closed(): boolean {
    return this.#subscriber.closed;
  }

  next(value: T): void {
    if (this.#subscriber.closed) return;
    if (!this.#demand.consume()) {
      this.#subscriber.error(
        new RangeError(
          'Expected the producer to emit within the granted credit, got one item more',
        ),
      );
      return;
    }
    this.#subscriber.next(value);
  }

  error(error: unknown): void {
    this.#subscriber.error(error);
  }

  complete(): void {
    this.#subscriber.complete();
  }
}

/** The consumer's handle: an RxJS subscription plus the credit it can grant. */
class CreditHandle implements FlowSubscription {
  readonly #subscription: Subscription;
  readonly #demand: DemandState;

  constructor(subscription: Subscription, demand: DemandState) {
    this.#subscription = subscription;
    this.#demand = demand;
  }

  get closed(): boolean {
    return this.#subscription.closed;
  }

  get credit(): number {
    return this.#subscription.closed ? 0 : this.#demand.credit;
  }

  request(n: number): void {
    this.#demand.request(n);
  }

  unsubscribe(): void {
    this.#subscription.unsubscribe();
  }
}
