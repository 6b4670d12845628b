import { from, mergeMap, Subject } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { boundedQueue } from '../../src/operators/bounded-queue.js';
import { fromAsyncIterable } from '../../src/operators/from-async-iterable.js';
import { mapInPool } from '../../src/operators/map-in-pool.js';
import { CountingSource, FakeRunner, drive, listeners, numRuns, settle } from './fakes.js';

describe('mapInPool', () => {
  it('bounds jobs in flight and read-ahead, keeps order when asked, and aborts every running job at teardown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.record({
          concurrency: fc.integer({ min: 1, max: 4 }),
          extra: fc.integer({ min: 0, max: 3 }),
          queue: fc.integer({ min: 1, max: 4 }),
          ordered: fc.boolean(),
          n: fc.integer({ min: 0, max: 25 }),
          failAt: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }),
        }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant('stop' as const)), {
          maxLength: 15,
        }),
        async (s, { concurrency, extra, queue, ordered, n, failAt }, actions) => {
          const capacity = concurrency + extra;
          const source = new CountingSource(n, () => s.schedule(Promise.resolve(), 'produce'));
          const runner = new FakeRunner((x: number) => x * 10, {
            scheduler: s,
            fails: (x) => x === failAt,
          });
          const stage = mapInPool(runner, { concurrency, capacity, ordered });
          const seen: number[] = [];
          let completed = false;
          let error: unknown;
          const check = (): void => {
            const stats = stage.stats();
            expect(stats.inFlight).toBeLessThanOrEqual(concurrency);
            // A job the runner settled is still in flight until its result is seen.
            expect(runner.running.length).toBeLessThanOrEqual(stats.inFlight);
            expect(stats.inFlight + stats.held).toBeLessThanOrEqual(capacity);
            expect(source.pulled - seen.length).toBeLessThanOrEqual(queue + capacity);
            expect(stats.started).toBe(
              stats.inFlight + stats.succeeded + stats.failed + stats.aborted,
            );
            expect(stats.succeeded).toBe(stats.delivered + stats.held + stats.dropped);
            expect(new Set(seen).size).toBe(seen.length);
            if (ordered) expect(seen).toEqual(seen.map((_, i) => i * 10));
          };
          const sub = stage(
            boundedQueue<number>(queue)(fromAsyncIterable(source.items())),
          ).subscribeWithDemand({
            next: (v) => {
              seen.push(v);
              check();
            },
            error: (e: unknown) => (error = e),
            complete: () => (completed = true),
          });
          let runningAtStop: number[] | undefined;
          for (const action of actions) {
            void s.schedule(Promise.resolve(), String(action)).then(() => {
              if (action !== 'stop') return sub.request(action);
              if (sub.closed) return;
              runningAtStop = runner.running.map((j) => j.id);
              sub.unsubscribe();
            });
          }
          await drive(s, check);
          const stats = stage.stats();
          expect(stats.maxInFlight).toBeLessThanOrEqual(concurrency);
          expect(stats.maxHolding).toBeLessThanOrEqual(capacity);
          if (runningAtStop !== undefined) {
            // Teardown reached every job in flight, and only those.
            expect(runner.aborted.map((j) => j.id)).toEqual(runningAtStop);
            expect(stats.aborted).toBe(runningAtStop.length);
            expect(stats.inFlight).toBe(0);
            if (source.pulled > 0) expect(source.finalized).toBe(true);
          } else if (error !== undefined) {
            expect((error as Error).message).toMatch(/^job \d+ failed$/);
            expect(failAt).toBeDefined();
            expect(stats.inFlight).toBe(0);
            expect(runner.running).toHaveLength(0);
          } else if (completed) {
            expect([...seen].sort((a, b) => a - b)).toEqual(
              Array.from({ length: n }, (_, i) => i * 10),
            );
          }
          for (const job of runner.jobs) expect(listeners(job.signal)).toBe(0);
          sub.unsubscribe();
          await drive(s);
        },
      ),
      { numRuns },
    );
  });

  it('closes the gap: plain mergeMap reads ahead ~everything, mapInPool at most its bound', async () => {
    const work = new FakeRunner((x: number) => x);
    const theirs = new CountingSource(200);
    let theirResults = 0;
    from(theirs.items())
      .pipe(mergeMap((x) => work.run(x), 2))
      .subscribe(() => (theirResults += 1));
    await settle();
    expect(theirResults).toBe(0);
    expect(theirs.pulled).toBeGreaterThanOrEqual(190);

    const runner = new FakeRunner((x: number) => x);
    const ours = new CountingSource(200);
    const stage = mapInPool(runner, { concurrency: 2 });
    let ourResults = 0;
    const sub = fromAsyncIterable(ours.items())
      .pipe(stage)
      .subscribe(() => (ourResults += 1));
    await settle();
    expect(ourResults).toBe(0);
    expect(ours.pulled).toBeLessThanOrEqual(2);
    expect(runner.running).toHaveLength(2);
    runner.releaseAll();
    await settle();
    expect(ourResults).toBe(2);
    expect(ours.pulled).toBeLessThanOrEqual(4);
    sub.unsubscribe();
    work.releaseAll();
  });

  it('keeps source order with a bounded reorder buffer: a slow head stalls intake', async () => {
    const runner = new FakeRunner((x: number) => x);
    const source = new CountingSource(100);
    const stage = mapInPool(runner, { concurrency: 2, capacity: 3, ordered: true });
    const seen: number[] = [];
    const sub = fromAsyncIterable(source.items())
      .pipe(stage)
      .subscribe((v) => seen.push(v));
    await settle();
    expect(runner.running.map((j) => j.input)).toEqual([0, 1]);
    runner.release(1); // the second finishes first: held behind the head
    await settle();
    expect(seen).toEqual([]);
    expect(runner.running.map((j) => j.input)).toEqual([0, 2]);
    runner.release(2);
    await settle();
    // Full (1 running + 2 held = capacity): nothing more is taken from upstream.
    expect(runner.running.map((j) => j.input)).toEqual([0]);
    expect(source.pulled).toBe(3);
    expect(stage.stats()).toMatchObject({ inFlight: 1, held: 2 });
    runner.release(0);
    await settle();
    expect(seen).toEqual([0, 1, 2]);
    expect(runner.running.map((j) => j.input)).toEqual([3, 4]);
    sub.unsubscribe();
  });

  it('emits in completion order when not ordered', async () => {
    const runner = new FakeRunner((x: number) => x);
    const stage = mapInPool(runner, { concurrency: 3, ordered: false });
    const seen: number[] = [];
    let completed = false;
    fromAsyncIterable([0, 1, 2])
      .pipe(stage)
      .subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    await settle();
    runner.release(2);
    await settle();
    runner.release(0);
    await settle();
    runner.release(1);
    await settle();
    expect(seen).toEqual([2, 0, 1]);
    expect(completed).toBe(true);
  });

  it('holds finished results for a consumer without credit, up to capacity', async () => {
    const runner = new FakeRunner((x: number) => x);
    const source = new CountingSource(100);
    const stage = mapInPool(runner, { concurrency: 2, capacity: 2 });
    const seen: number[] = [];
    const sub = stage(fromAsyncIterable(source.items())).subscribeWithDemand((v) => seen.push(v));
    await settle();
    runner.releaseAll();
    await settle();
    expect(stage.stats()).toMatchObject({ inFlight: 0, held: 2, started: 2 });
    expect(source.pulled).toBe(2);
    sub.request(1);
    await settle();
    expect(seen).toEqual([0]);
    expect(stage.stats()).toMatchObject({ inFlight: 1, held: 1, started: 3 });
    sub.unsubscribe();
    expect(stage.stats()).toMatchObject({ aborted: 1, dropped: 1, held: 0, inFlight: 0 });
  });

  it('passes transfer lists and the timeout to the runner', async () => {
    const runner = new FakeRunner((x: Uint8Array) => x.length);
    const stage = mapInPool(runner, { transfer: (x) => [x.buffer as ArrayBuffer], timeoutMs: 250 });
    const input = new Uint8Array(8);
    fromAsyncIterable([input]).pipe(stage).subscribe();
    await settle();
    expect(runner.jobs[0]?.transfer).toEqual([input.buffer]);
    expect(runner.jobs[0]?.timeoutMs).toBe(250);
    runner.releaseAll();
  });

  it('fails with the first job error and aborts the others', async () => {
    const runner = new FakeRunner((x: number) => x, { fails: (x) => x === 1 });
    const stage = mapInPool(runner, { concurrency: 3 });
    let error: unknown;
    fromAsyncIterable([0, 1, 2])
      .pipe(stage)
      .subscribe({ error: (e: unknown) => (error = e) });
    await settle();
    runner.release(1);
    await settle();
    expect((error as Error).message).toBe('job 1 failed');
    expect(runner.aborted.map((j) => j.input)).toEqual([0, 2]);
    expect(stage.stats()).toMatchObject({ failed: 1, aborted: 2, inFlight: 0 });
  });

  it('fails like a job when the runner or transfer throws synchronously', async () => {
    const boom = new Error('no transfer');
    const stage = mapInPool(new FakeRunner((x: number) => x), {
      transfer: () => {
        throw boom;
      },
    });
    let error: unknown;
    fromAsyncIterable([1])
      .pipe(stage)
      .subscribe({ error: (e: unknown) => (error = e) });
    await settle();
    expect(error).toBe(boom);
    expect(stage.stats()).toMatchObject({ started: 1, failed: 1 });
  });

  it('bounds a plain upstream: items beyond capacity fail with QueueOverflowError', () => {
    const runner = new FakeRunner((x: number) => x);
    const subject = new Subject<number>();
    let error: unknown;
    mapInPool(runner, { concurrency: 1, capacity: 2 })(subject).subscribe({
      error: (e: unknown) => (error = e),
    });
    subject.next(1); // running
    subject.next(2); // waiting in the adapter
    subject.next(3);
    expect(error).toBeUndefined();
    subject.next(4);
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect(runner.aborted).toHaveLength(1);
  });

  it('validates its arguments with the house message', () => {
    const runner = new FakeRunner((x: number) => x);
    expect(() => mapInPool({} as never)).toThrow(
      new TypeError('Expected `runner` to be an object with a `run` method, got `{}` (object)'),
    );
    expect(() => mapInPool(runner, { concurrency: 0 })).toThrow(
      new RangeError('Expected `concurrency` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() => mapInPool(runner, { concurrency: 4, capacity: 2 })).toThrow(
      new RangeError('Expected `capacity` to be an integer ≥ 4, got `2` (number)'),
    );
    expect(() => mapInPool(runner, { ordered: 'yes' as never })).toThrow(
      new TypeError('Expected `ordered` to be a boolean, got `"yes"` (string)'),
    );
    expect(() => mapInPool(runner, { timeoutMs: 0 })).toThrow(
      new RangeError('Expected `timeoutMs` to be a number > 0, got `0` (number)'),
    );
    expect(() => mapInPool(runner, { transfer: 1 as never })).toThrow(
      new TypeError('Expected `transfer` to be a function, got `1` (number)'),
    );
  });

  describe('abort', () => {
    it('fails at subscribe with the reason when already aborted, starting nothing', () => {
      const controller = new AbortController();
      const reason = new Error('cancelled');
      controller.abort(reason);
      const runner = new FakeRunner((x: number) => x);
      const subject = new Subject<number>();
      let error: unknown;
      mapInPool(runner, { signal: controller.signal })(subject).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBe(reason);
      expect(subject.observed).toBe(false);
      expect(runner.jobs).toHaveLength(0);
      expect(listeners(controller.signal)).toBe(0);
    });

    it('aborts every running job with the reason, drops held results, releases the source', async () => {
      const controller = new AbortController();
      const runner = new FakeRunner((x: number) => x);
      const source = new CountingSource(Infinity);
      const stage = mapInPool(runner, { concurrency: 2, capacity: 3, signal: controller.signal });
      let error: unknown;
      stage(fromAsyncIterable(source.items())).subscribeWithDemand({
        error: (e: unknown) => (error = e),
      });
      await settle();
      runner.release(0); // held: the consumer has no credit
      await settle();
      expect(stage.stats()).toMatchObject({ inFlight: 2, held: 1 });
      const reason = { why: 'shutdown' };
      controller.abort(reason);
      await settle();
      expect(error).toBe(reason);
      expect(runner.aborted.map((j) => j.abortReason)).toEqual([reason, reason]);
      expect(stage.stats()).toMatchObject({ aborted: 2, dropped: 1, inFlight: 0, held: 0 });
      expect(source.finalized).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
      for (const job of runner.jobs) expect(listeners(job.signal)).toBe(0);
    });

    it('aborts running jobs with an AbortError on unsubscribe', async () => {
      const runner = new FakeRunner((x: number) => x);
      const sub = fromAsyncIterable([1, 2])
        .pipe(mapInPool(runner, { concurrency: 2 }))
        .subscribe();
      await settle();
      sub.unsubscribe();
      expect(runner.aborted).toHaveLength(2);
      expect((runner.aborted[0]?.abortReason as DOMException).name).toBe('AbortError');
    });

    it('removes its listener on completion', async () => {
      const controller = new AbortController();
      const runner = new FakeRunner((x: number) => x);
      let completed = false;
      fromAsyncIterable([1])
        .pipe(mapInPool(runner, { signal: controller.signal }))
        .subscribe({ complete: () => (completed = true) });
      await settle();
      expect(listeners(controller.signal)).toBe(1);
      runner.releaseAll();
      await settle();
      expect(completed).toBe(true);
      expect(listeners(controller.signal)).toBe(0);
    });
  });
});
