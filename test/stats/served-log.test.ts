import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ServedLog, type ServedSample } from '../../src/stats/served-log.js';

const runs = Number(process.env['FC_NUM_RUNS']) || 100;

const sample = fc.record({
  patient: fc.constantFrom('a', 'b', 'c'),
  level: fc.nat(3),
  x: fc.nat(10_000),
  y: fc.nat(10_000),
  width: fc.integer({ min: 1, max: 512 }),
  height: fc.integer({ min: 1, max: 512 }),
});

type Action = { readonly op: 'push'; readonly sample: ServedSample } | { readonly op: 'clear' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: sample.map((s) => ({ op: 'push' as const, sample: s })) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('ServedLog', () => {
  test.prop([fc.nat(12), fc.array(action, { maxLength: 80 })], { numRuns: runs })(
    'keeps the most recent `capacity` samples, oldest first, and counts the evicted ones',
    (capacity, actions) => {
      const log = new ServedLog(capacity);
      let model: ServedSample[] = [];
      let evicted = 0;
      for (const a of actions) {
        if (a.op === 'clear') {
          log.clear();
          model = [];
        } else {
          log.push(a.sample);
          model.push(a.sample);
          if (model.length > capacity) {
            model.shift();
            evicted++;
          }
        }
        expect(log.toArray()).toEqual(model);
        expect(log.size).toBe(model.length);
        expect(log.evicted).toBe(evicted);
        expect(log.capacity).toBe(capacity);
        expect(log.forPatient('b')).toEqual(model.filter((s) => s.patient === 'b'));
      }
    },
  );

  it('refuses a capacity that is not a non-negative integer', () => {
    expect(() => new ServedLog(-1)).toThrow(
      new RangeError('Expected `servedLogSize` to be an integer ≥ 0, got `-1` (number)'),
    );
    expect(() => new ServedLog(2.5)).toThrow(RangeError);
  });
});
