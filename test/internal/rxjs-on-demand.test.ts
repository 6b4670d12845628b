import { EMPTY, Observable, Subject, isObservable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isObservableOnDemand, rxjs } from '../../src/internal/rxjs-on-demand.js';

describe('rxjs', () => {
  it('is the RxJS that lightdl and its users import: the same classes', () => {
    expect(rxjs().Subject).toBe(Subject);
    expect(rxjs().Observable).toBe(Observable);
    expect(rxjs()).toBe(rxjs());
  });
});

describe('isObservableOnDemand', () => {
  it('recognises what RxJS recognises as an Observable', () => {
    const lookalike = { lift: () => lookalike, subscribe: () => ({ unsubscribe() {} }) };
    for (const value of [of(1), EMPTY, new Subject<number>(), new Subject().asObservable()]) {
      expect(isObservableOnDemand(value)).toBe(true);
    }
    expect(isObservable(lookalike)).toBe(true);
    expect(isObservableOnDemand(lookalike)).toBe(true);
  });

  it('turns down iterables, async iterables, plain objects and primitives', () => {
    async function* pulled(): AsyncGenerator<number> {
      yield 1;
    }
    const values: unknown[] = [
      [1, 2],
      new Set([1]),
      pulled(),
      { subscribe: () => undefined },
      { lift: () => undefined },
      () => undefined,
      null,
      undefined,
      3,
      'text',
    ];
    for (const value of values) expect(isObservableOnDemand(value)).toBe(false);
  });
});
