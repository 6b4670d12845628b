/**
 * Messages from the main thread to a patient's collector, checkpoints handed from one tenure of
 * a patient to the next, and the collector's status, through real workers.
 */
import { describe, expect, it } from 'vitest';
import type { SmallChunkInfo } from '../../src/collectors/small-chunk.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import type { LightDLOptions } from '../../src/scheduler/light-dl-options.js';
import type { Recorded, RecorderMark } from '../fixtures/workers/tree-collectors.js';
import {
  COLLECTORS,
  SMALL,
  lightDLFactory,
  slideDataset,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

function recorder(options: {
  perBigChunk: number;
  checkpointIn?: number[];
}): Pick<LightDLOptions, 'bigChunkLoader' | 'smallChunkCollector'> {
  return {
    bigChunkLoader: randomRegion({ width: 64, height: 64 }),
    smallChunkCollector: {
      module: COLLECTORS,
      export: 'recorder',
      options: { size: 8, ...options },
    },
  };
}

const rec = (info: SmallChunkInfo): Recorded => info.extra as Recorded;

describe('LightDL messages, checkpoints and status', () => {
  it("delivers a message to the patient's running collector and to no other patient", async () => {
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 1_000_000 }),
      dataset: await slideDataset(2),
      numBigChunkLoaders: 2,
    });
    const seen: SmallChunkInfo[] = [];
    let sentAt = -1;
    await walk(dl, (s, n) => {
      seen.push(s.info);
      if (n === 20) {
        dl.sendMessage('p0', { lr: 0.5 });
        sentAt = n;
      }
      const withMessage = seen.filter(
        (i) => i.patient === 'p0' && rec(i).lastMessage !== undefined,
      );
      const p1After = sentAt < 0 ? [] : seen.slice(sentAt + 1).filter((i) => i.patient === 'p1');
      return withMessage.length < 10 || p1After.length < 10;
    });
    const p0 = seen.filter((i) => i.patient === 'p0');
    const p1 = seen.filter((i) => i.patient === 'p1');
    expect(p1.length).toBeGreaterThan(0);
    expect(p1.every((i) => rec(i).lastMessage === undefined)).toBe(true);
    expect(seen.slice(0, sentAt + 1).every((i) => rec(i).lastMessage === undefined)).toBe(true);
    const withMessage = p0.filter((i) => rec(i).lastMessage !== undefined);
    expect(withMessage.every((i) => JSON.stringify(rec(i).lastMessage) === '{"lr":0.5}')).toBe(
      true,
    );
    // The running tenure received it: no new tenure, no new big chunk was needed.
    expect(new Set(p0.map((i) => `${rec(i).tenure}:${rec(i).index}`)).size).toBe(1);
    // Once seen, every later chunk of p0 has it.
    const first = p0.indexOf(withMessage[0]!);
    expect(p0.slice(first).every((i) => rec(i).lastMessage !== undefined)).toBe(true);
  });

  it('keeps a message sent before the start for the patient’s first tenure', async () => {
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 4 }),
      dataset: await slideDataset(3),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 20,
      policy: 'round-robin',
    });
    dl.sendMessage('p2', 'hello p2');
    const seen: SmallChunkInfo[] = [];
    await walk(dl, (s) => {
      seen.push(s.info);
      return !seen.some((i) => i.patient === 'p2');
    });
    for (const i of seen) {
      expect(rec(i).lastMessage).toBe(i.patient === 'p2' ? 'hello p2' : undefined);
    }
  });

  it('refuses a message for an unknown patient, or one that cannot be cloned', async () => {
    const dl = make({ ...SMALL, dataset: await slideDataset(1) });
    expect(() => dl.sendMessage('nobody', 1)).toThrow(
      new TypeError(
        'Expected `patientId` to be the id of a patient of the dataset, got `"nobody"` (string)',
      ),
    );
    expect(() => dl.sendMessage('p0', () => 1)).toThrow(
      new TypeError('Expected `message` to be structured-cloneable, got `function` (function)'),
    );
  });

  it('sends a copy of the message as it was when sent', async () => {
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 4 }),
      dataset: await slideDataset(1),
    });
    const message = { step: 1 };
    dl.sendMessage('p0', message);
    message.step = 2;
    const seen: SmallChunkInfo[] = [];
    await walk(dl, (s) => seen.push(s.info) < 4);
    expect(seen.map((i) => rec(i).lastMessage)).toEqual(Array(4).fill({ step: 1 }));
  });

  it('hands the checkpoint a tenure set to the next tenure of the same patient', async () => {
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 3 }),
      dataset: await slideDataset(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 25,
      policy: 'round-robin',
    });
    const seen: SmallChunkInfo[] = [];
    await walk(dl, (s) => {
      seen.push(s.info);
      const tenuresOfP0 = new Set(seen.filter((i) => i.patient === 'p0').map((i) => rec(i).tenure));
      return tenuresOfP0.size < 3;
    });
    for (const patient of ['p0', 'p1']) {
      const mine = seen.filter((i) => i.patient === patient);
      const tenures = [...new Set(mine.map((i) => rec(i).tenure))];
      tenures.forEach((tenure, k) => {
        const first = mine.find((i) => rec(i).tenure === tenure)!;
        expect(rec(first)).toMatchObject({ index: 0, callCount: 0 });
        if (k === 0) {
          expect(rec(first).checkpoint).toBeUndefined();
          return;
        }
        // The mark of the previous tenure's last delivered chunk (every chunk sets one).
        const last = mine.filter((i) => rec(i).tenure === tenures[k - 1]).at(-1)!;
        const expected: RecorderMark = { tenure: tenures[k - 1]!, calls: rec(last).callCount + 1 };
        expect(rec(first).checkpoint).toEqual(expected);
      });
    }
    // Within a tenure, each call sees the checkpoint its predecessor set.
    for (let k = 1; k < seen.length; k++) {
      const [a, b] = [rec(seen[k - 1]!), rec(seen[k]!)];
      if (seen[k - 1]!.patient === seen[k]!.patient && a.tenure === b.tenure && b.callCount > 0) {
        expect(b.checkpoint).toEqual({ tenure: a.tenure, calls: a.callCount + 1 });
      }
    }
  });

  it('keeps the old checkpoint through a tenure that sets none', async () => {
    // Round-robin over two patients and one slot: tenures 1, 3, 5… are p0's; only tenure 1 sets.
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 3, checkpointIn: [1] }),
      dataset: await slideDataset(2),
      numBigChunkLoaders: 1,
      rescheduleIntervalMs: 25,
      policy: 'round-robin',
    });
    const seen: SmallChunkInfo[] = [];
    await walk(dl, (s) => {
      seen.push(s.info);
      return new Set(seen.filter((i) => i.patient === 'p0').map((i) => rec(i).tenure)).size < 3;
    });
    const p0 = seen.filter((i) => i.patient === 'p0');
    expect(rec(p0[0]!).tenure).toBe(1);
    const firstMark = p0.filter((i) => rec(i).tenure === 1).at(-1)!;
    const later = p0.filter((i) => rec(i).tenure > 1);
    expect(new Set(later.map((i) => rec(i).tenure)).size).toBe(2);
    for (const i of later) {
      expect(rec(i).checkpoint).toEqual({ tenure: 1, calls: rec(firstMark).callCount + 1 });
    }
    expect(
      seen.filter((i) => i.patient === 'p1').every((i) => rec(i).checkpoint === undefined),
    ).toBe(true);
  });

  it("reports each patient's latest collector status", async () => {
    const dl = make({
      ...SMALL,
      ...recorder({ perBigChunk: 1_000_000 }),
      dataset: await slideDataset(2),
      numBigChunkLoaders: 2,
    });
    expect(dl.status('p0')).toBeUndefined();
    const last = new Map<string, Recorded>();
    await walk(dl, (s, n) => {
      last.set(s.info.patient, rec(s.info));
      return n < 40 || last.size < 2;
    });
    for (const [patient, r] of last) {
      const status = dl.status(patient) as RecorderMark;
      expect(status.tenure).toBe(r.tenure);
      // The collector may have run ahead of what was delivered, never behind it.
      expect(status.calls).toBeGreaterThanOrEqual(r.callCount + 1);
    }
    expect(dl.status('nobody')).toBeUndefined();
  });
});
