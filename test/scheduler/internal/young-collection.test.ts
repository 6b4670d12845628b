/**
 * `collectYoung` runs a young-generation collection without leaving `gc` exposed to anyone else.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { collectYoung as collectYoungType } from '../../../src/scheduler/internal/young-collection.js';

/** A fresh copy of the module (its cached `gc` function starts unset). */
async function fresh(): Promise<{ collectYoung: typeof collectYoungType }> {
  vi.resetModules();
  return import('../../../src/scheduler/internal/young-collection.js');
}

/** The collections asked for by code (`gc()`) while `body` runs, by kind. */
async function forcedCollectionsDuring(body: () => void): Promise<number[]> {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number; flags?: number } }).detail;
      const forced = ((detail?.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0;
      if (forced && detail?.kind !== undefined) kinds.push(detail.kind);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  body();
  // Entries are delivered after the collection, on a later turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return kinds;
}

beforeEach(() => {
  // Another test file in this process may have switched it on for good.
  v8.setFlagsFromString('--no-expose-gc');
});
afterEach(() => {
  delete (globalThis as { gc?: unknown }).gc;
});

describe('collectYoung', () => {
  it('runs a young-generation collection on this thread', async () => {
    const { collectYoung } = await fresh();
    const kinds = await forcedCollectionsDuring(() => collectYoung());
    expect(kinds).toEqual([constants.NODE_PERFORMANCE_GC_MINOR]);
  });

  it('leaves no `gc` to contexts made afterwards', async () => {
    const { collectYoung } = await fresh();
    collectYoung();
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });

  it('uses the process’s own `gc` when it has one, asking for a young collection', async () => {
    const calls: unknown[] = [];
    (globalThis as { gc?: unknown }).gc = (options: unknown) => void calls.push(options);
    const { collectYoung } = await fresh();
    collectYoung();
    collectYoung();
    expect(calls).toEqual([{ type: 'minor' }, { type: 'minor' }]);
  });
});
