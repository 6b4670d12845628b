import { describe, expect, it } from 'vitest';
import { TimingWindow } from '../../src/pool/timing-window.js';

describe('TimingWindow', () => {
  it('is all zero while empty', () => {
    expect(new TimingWindow().summary()).toEqual({
      count: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      max: 0,
    });
  });

  it('gives nearest-rank percentiles of its samples', () => {
    const w = new TimingWindow();
    for (let i = 100; i >= 1; i--) w.add(i);
    expect(w.summary()).toEqual({ count: 100, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('keeps only the most recent samples', () => {
    const w = new TimingWindow(4);
    for (const v of [1000, 1000, 1, 2, 3, 4]) w.add(v);
    expect(w.summary()).toMatchObject({ count: 4, max: 4, mean: 2.5 });
  });
});
