import { Observable, Subject, from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { QueueOverflowError } from '../../src/errors.js';
import { assertSource, openSource } from '../../src/pool/open-map-source.js';

async function drain<T>(it: AsyncIterator<T>): Promise<T[]> {
  const out: T[] = [];
  for (let r = await it.next(); r.done !== true; r = await it.next()) out.push(r.value);
  return out;
}

describe('assertSource', () => {
  it('accepts iterables, async iterables and Observables, and names anything else', () => {
    expect(() => assertSource([1])).not.toThrow();
    expect(() => assertSource(new Set([1]))).not.toThrow();
    expect(() => assertSource((async function* () {})())).not.toThrow();
    expect(() => assertSource(from([1]))).not.toThrow();
    expect(() => assertSource(42)).toThrow(
      new TypeError(
        'Expected `source` to be an iterable, an async iterable or an Observable, got `42` (number)',
      ),
    );
    expect(() => assertSource(null)).toThrow(TypeError);
  });
});

describe('openSource', () => {
  it('pulls a sync iterable lazily and closes it on return()', async () => {
    const log: string[] = [];
    function* gen(): Generator<number> {
      try {
        for (let i = 0; i < 10; i++) {
          log.push(`pull ${i}`);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    }
    const it = openSource(gen(), 4);
    expect(await it.next()).toEqual({ done: false, value: 0 });
    expect(await it.next()).toEqual({ done: false, value: 1 });
    await it.return?.();
    expect(log).toEqual(['pull 0', 'pull 1', 'closed']);
  });

  it('turns a throwing iterator into a rejection', async () => {
    const bad: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('broken iterator');
        },
      }),
    };
    await expect(openSource(bad, 1).next()).rejects.toThrow('broken iterator');
  });

  it('passes async iterables through', async () => {
    async function* gen(): AsyncGenerator<string> {
      yield 'a';
      yield 'b';
    }
    expect(await drain(openSource(gen(), 1))).toEqual(['a', 'b']);
  });

  it('buffers an Observable up to the bound, then fails with QueueOverflowError and unsubscribes', async () => {
    expect(await drain(openSource(from([1, 2, 3]), 3))).toEqual([1, 2, 3]);
    let unsubscribed = false;
    const noisy = new Observable<number>((subscriber) => {
      for (let i = 0; i < 10 && !subscriber.closed; i++) subscriber.next(i);
      return () => (unsubscribed = true);
    });
    const it = openSource(noisy, 3);
    expect(await it.next()).toEqual({ done: false, value: 0 });
    const error = await drain(it).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueOverflowError);
    expect((error as QueueOverflowError).capacity).toBe(3);
    expect(unsubscribed).toBe(true);
  });

  it('forwards Observable errors and unsubscribes on return()', async () => {
    const subject = new Subject<number>();
    const it = openSource(subject, 8);
    const first = it.next();
    subject.next(1);
    expect(await first).toEqual({ done: false, value: 1 });
    const second = it.next();
    subject.error(new Error('upstream failed'));
    await expect(second).rejects.toThrow('upstream failed');
    const other = new Subject<number>();
    const it2 = openSource(other, 8);
    void it2.next();
    expect(other.observed).toBe(true);
    await it2.return?.();
    expect(other.observed).toBe(false);
  });
});
