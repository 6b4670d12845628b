import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/pool/build-report.js';

const summary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };

describe('buildReport', () => {
  it('freezes the report and its workers, naming the job of a busy worker only', () => {
    const report = buildReport({
      state: 'open',
      session: 2,
      workerCount: 2,
      maxQueue: 1,
      waiting: 0,
      queued: 1,
      running: 1,
      counts: { completed: 5, failed: 1, cancelled: 2, retried: 1, timedOut: 0 },
      restarts: 1,
      liveWorkers: 2,
      slots: [
        { workerId: 0, generation: 1, state: 'busy', job: 9 },
        { workerId: 1, generation: 0, state: 'idle', job: 0 },
      ],
      perWorker: [{ completed: 3, failed: 1 }],
      waitMs: summary,
      runMs: summary,
    });
    expect(report).toMatchObject({
      session: 2,
      completed: 5,
      failed: 1,
      cancelled: 2,
      retried: 1,
      restarts: 1,
    });
    expect(report.workers).toEqual([
      { workerId: 0, generation: 1, state: 'busy', job: 9, completed: 3, failed: 1 },
      { workerId: 1, generation: 0, state: 'idle', completed: 0, failed: 0 },
    ]);
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.workers)).toBe(true);
    expect(Object.isFrozen(report.workers[0])).toBe(true);
  });
});
