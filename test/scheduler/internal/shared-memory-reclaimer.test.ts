/**
 * The reclaimer's count of shared memory against full collections it observes. A full collection
 * is forced with V8's `gc()` (exposed at run time) to make the reset exact.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_HINT_BYTES,
  MIN_HINT_BYTES,
  SharedMemoryReclaimer,
} from '../../../src/scheduler/internal/shared-memory-reclaimer.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
v8.setFlagsFromString('--no-expose-gc');

/** Resolves once a full collection was observed, or rejects after `turns` event-loop turns. */
function nextFullGc(turns: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (
          (entry as { detail?: { kind?: number } }).detail?.kind ===
          constants.NODE_PERFORMANCE_GC_MAJOR
        ) {
          observer.disconnect();
          resolve();
        }
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    let left = turns;
    const turn = (): void => {
      if (left-- <= 0) {
        observer.disconnect();
        reject(new Error(`No full collection in ${turns} turns`));
      } else setTimeout(turn, 1);
    };
    setTimeout(turn, 1);
  });
}

const budget = 1024 * 1024;
let reclaimer: SharedMemoryReclaimer | undefined;
afterEach(() => reclaimer?.close());

describe('SharedMemoryReclaimer', () => {
  it('hints once the shared memory received reaches its budget, then counts afresh', () => {
    reclaimer = new SharedMemoryReclaimer(budget);
    reclaimer.received(budget - 1);
    expect(reclaimer.hints).toBe(0);
    reclaimer.received(1);
    expect(reclaimer.hints).toBe(1);
    reclaimer.received(budget - 1);
    expect(reclaimer.hints).toBe(1);
    reclaimer.received(budget);
    expect(reclaimer.hints).toBe(2);
  });

  it('restarts its count with every full collection it observes, so none is asked for then', async () => {
    reclaimer = new SharedMemoryReclaimer(budget);
    reclaimer.received(budget - 1);
    const seen = nextFullGc(50);
    gc();
    await seen;
    // The observer's entries are delivered after the collection; let them through.
    await new Promise((resolve) => setTimeout(resolve, 5));
    reclaimer.received(budget - 1);
    expect(reclaimer.hints).toBe(0);
  });

  it('counts on after close(): it no longer observes collections', async () => {
    reclaimer = new SharedMemoryReclaimer(budget);
    reclaimer.received(budget - 1);
    reclaimer.close();
    const seen = nextFullGc(50);
    gc();
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 5));
    reclaimer.received(1);
    expect(reclaimer.hints).toBe(1);
  });

  it('doubles its hint after one that brought no full collection, up to a bound, and keeps it once one came', async () => {
    reclaimer = new SharedMemoryReclaimer(budget);
    reclaimer.received(budget);
    expect(reclaimer.hintBytes).toBe(MIN_HINT_BYTES);
    // No collection can be observed between two synchronous calls: the first hint went unanswered.
    reclaimer.received(budget);
    expect(reclaimer.hintBytes).toBe(2 * MIN_HINT_BYTES);
    const seen = nextFullGc(50);
    gc();
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 5));
    reclaimer.received(budget);
    expect(reclaimer.hintBytes).toBe(2 * MIN_HINT_BYTES);
    for (let i = 0; i < 12; i++) reclaimer.received(budget);
    expect(reclaimer.hintBytes).toBe(MAX_HINT_BYTES);
    expect(reclaimer.hints).toBe(15);
  });
});
