import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError } from '../../src/errors.js';
import { Dataset } from '../../src/dataset/index.js';
import type { PatientInit } from '../../src/dataset/index.js';
import { fractions, labelledPatients, numRuns, snapshot } from './arbitraries.js';

const withinOne = (value: number, exact: number): boolean =>
  value >= Math.floor(exact + 1e-9) && value <= Math.ceil(exact - 1e-9);

/** Checks that `parts` cover `ds` exactly, are disjoint, and keep the dataset's order. */
function expectExactCover(ds: Dataset, parts: readonly Dataset[]): void {
  const all = parts.flatMap((p) => p.ids);
  expect(all.length).toBe(ds.size);
  expect(new Set(all).size).toBe(ds.size);
  expect([...all].sort()).toEqual([...ds.ids].sort());
  const position = new Map(ds.ids.map((id, i) => [id, i]));
  for (const part of parts) {
    const positions = part.ids.map((id) => position.get(id)!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    part.patients.forEach((p) => expect(p).toBe(ds.patient(p.id)));
  }
}

function labelCounts(ds: Dataset): Map<unknown, number> {
  const m = new Map<unknown, number>();
  for (const p of ds) m.set(p.metadata['label'], (m.get(p.metadata['label']) ?? 0) + 1);
  return m;
}

describe('Dataset.split', () => {
  it('covers the dataset exactly with disjoint parts of largest-remainder sizes', () => {
    fc.assert(
      fc.property(labelledPatients(), fractions, fc.integer(), (patients, fs, seed) => {
        const ds = Dataset.fromPatients('d', patients);
        const parts = ds.split({ fractions: fs, seed });
        expect(parts).toHaveLength(fs.length);
        expectExactCover(ds, parts);
        parts.forEach((part, i) => expect(withinOne(part.size, ds.size * fs[i]!)).toBe(true));
      }),
      { numRuns },
    );
  });

  it('is reproducible by seed and leaves the dataset and caller’s data untouched', () => {
    fc.assert(
      fc.property(labelledPatients(), fractions, fc.integer(), (patients, fs, seed) => {
        const before = snapshot(patients);
        const ds = Dataset.fromPatients('d', patients);
        const json = JSON.stringify(ds);
        const a = ds.split({ fractions: fs, seed }).map((p) => p.ids);
        const b = ds.split({ fractions: fs, seed }).map((p) => p.ids);
        expect(a).toEqual(b);
        expect(JSON.stringify(ds)).toBe(json);
        expect(patients).toEqual(before);
      }),
      { numRuns },
    );
  });

  it('gives different parts for different seeds (almost always, on 50 patients)', () => {
    const ds = Dataset.fromPatients(
      'd',
      Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` })),
    );
    const splits = new Set(
      Array.from({ length: 20 }, (_, seed) =>
        JSON.stringify(ds.split({ fractions: [0.5, 0.5], seed }).map((p) => p.ids)),
      ),
    );
    expect(splits.size).toBeGreaterThanOrEqual(19);
  });

  it('accepts percentages, names the parts, and returns frozen datasets', () => {
    const ds = Dataset.fromPatients(
      'cohort',
      Array.from({ length: 10 }, (_, i) => ({ id: `p${i}` })),
    );
    const [train, val, test] = ds.split({
      percentages: [70, 15, 15],
      seed: 3,
      names: ['train', 'val', 'test'],
    });
    expect([train!.name, val!.name, test!.name]).toEqual([
      'cohort/train',
      'cohort/val',
      'cohort/test',
    ]);
    expect([train!.size, val!.size, test!.size]).toEqual([7, 2, 1]);
    expect(Object.isFrozen(train)).toBe(true);
    expect(Object.isFrozen(train!.patients)).toBe(true);
    expect(ds.split({ fractions: [1], seed: 0 })[0]!.name).toBe('cohort/0');
  });
});

describe('Dataset.stratifiedSplit', () => {
  it('splits every class in proportion (within one item) and every part within one item', () => {
    fc.assert(
      fc.property(
        labelledPatients({ classes: 5 }),
        fractions,
        fc.integer(),
        (patients, fs, seed) => {
          const ds = Dataset.fromPatients('d', patients);
          const parts = ds.stratifiedSplit({ by: 'label', fractions: fs, seed });
          expectExactCover(ds, parts);
          const totals = labelCounts(ds);
          parts.forEach((part, i) => {
            expect(withinOne(part.size, ds.size * fs[i]!)).toBe(true);
            const counts = labelCounts(part);
            for (const [label, n] of totals) {
              expect(withinOne(counts.get(label) ?? 0, n * fs[i]!)).toBe(true);
            }
          });
        },
      ),
      { numRuns },
    );
  });

  it('is reproducible by seed and usually differs between seeds', () => {
    const ds = Dataset.fromPatients(
      'd',
      Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, metadata: { label: i % 3 } })),
    );
    const run = (seed: number): string =>
      JSON.stringify(
        ds.stratifiedSplit({ by: 'label', percentages: [80, 20], seed }).map((p) => p.ids),
      );
    expect(run(5)).toBe(run(5));
    const distinct = new Set(Array.from({ length: 20 }, (_, seed) => run(seed)));
    expect(distinct.size).toBeGreaterThanOrEqual(19);
  });

  it('stratifies by a function of the patient', () => {
    const ds = Dataset.fromPatients(
      'd',
      Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, metadata: { age: 30 + i * 3 } })),
    );
    const older = (p: { metadata: { readonly [k: string]: unknown } }): boolean =>
      (p.metadata['age'] as number) >= 60;
    const [a, b] = ds.stratifiedSplit({ by: older, fractions: [0.5, 0.5], seed: 1 });
    expect(a!.filter(older).size).toBe(5);
    expect(b!.filter(older).size).toBe(5);
  });

  it('reports every patient without a label', () => {
    const ds = Dataset.fromPatients('d', [
      { id: 'a', metadata: { label: 1 } },
      { id: 'b' },
      { id: 'c' },
    ]);
    const run = (): unknown => ds.stratifiedSplit({ by: 'label', fractions: [0.5, 0.5], seed: 0 });
    expect(run).toThrow(DatasetError);
    expect(run).toThrow('No usable label under `label` for 2 of 3 patients (2 problems):');
  });
});

describe('Dataset.balanceByRepeat', () => {
  it('brings every class to the largest class, each patient repeated ⌊t/n⌋ or ⌈t/n⌉ times', () => {
    fc.assert(
      fc.property(labelledPatients({ classes: 4 }), fc.integer(), (patients, seed) => {
        const ds = Dataset.fromPatients('d', patients);
        const balanced = ds.balanceByRepeat({ by: 'label', seed });
        const before = labelCounts(ds);
        const target = Math.max(0, ...before.values());
        const after = labelCounts(balanced);
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        for (const n of after.values()) expect(n).toBe(target);
        const copies = new Map<string, number>();
        for (const p of balanced) copies.set(p.originalId, (copies.get(p.originalId) ?? 0) + 1);
        for (const p of ds) {
          const n = before.get(p.metadata['label'])!;
          expect(withinOne(copies.get(p.id)!, target / n)).toBe(true);
        }
        expect(new Set(balanced.ids).size).toBe(balanced.size);
      }),
      { numRuns },
    );
  });

  it('keeps originals as they are and names repeats `id#rK` with metadata.repeatOf', () => {
    const patients: PatientInit[] = [
      { id: 't1', metadata: { label: 'tumor' }, records: [{ name: 'wsi', path: '/t1.tif' }] },
      { id: 'n1', metadata: { label: 'normal' } },
      { id: 'n2', metadata: { label: 'normal' } },
      { id: 'n3', metadata: { label: 'normal' } },
    ];
    const before = snapshot(patients);
    const ds = Dataset.fromPatients('d', patients);
    const balanced = ds.balanceByRepeat({ by: 'label' });
    expect(balanced.ids).toEqual(['t1', 't1#r1', 't1#r2', 'n1', 'n2', 'n3']);
    expect(balanced.patient('t1')).toBe(ds.patient('t1'));
    const repeat = balanced.patient('t1#r2');
    expect(repeat.metadata).toEqual({ label: 'tumor', repeatOf: 't1' });
    expect(repeat.originalId).toBe('t1');
    expect(repeat.record('wsi')).toBe(ds.patient('t1').record('wsi'));
    expect(ds.size).toBe(4);
    expect(patients).toEqual(before);
  });

  it('reaches a larger targetPerClass, choosing the extra repeats by seed', () => {
    const ds = Dataset.fromPatients(
      'd',
      Array.from({ length: 4 }, (_, i) => ({ id: `p${i}`, metadata: { label: 'x' } })),
    );
    const run = (seed: number): readonly string[] =>
      ds.balanceByRepeat({ by: 'label', targetPerClass: 10, seed }).ids;
    expect(run(1)).toHaveLength(10);
    expect(run(1)).toEqual(run(1));
    const distinct = new Set(Array.from({ length: 10 }, (_, s) => run(s).join()));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('repeats of repeats point at the first original', () => {
    const ds = Dataset.fromPatients('d', [
      { id: 'a', metadata: { label: 'x' } },
      { id: 'b', metadata: { label: 'y' } },
      { id: 'c', metadata: { label: 'y' } },
    ]);
    const once = ds.balanceByRepeat({ by: 'label' });
    expect(once.ids).toEqual(['a', 'a#r1', 'b', 'c']);
    const twice = once.balanceByRepeat({ by: 'label', targetPerClass: 4 });
    expect(twice.ids).toEqual(['a', 'a#r2', 'a#r1', 'a#r3', 'b', 'b#r1', 'c', 'c#r1']);
    expect(twice.patient('a#r3').originalId).toBe('a');
    expect(twice.patient('a#r3').metadata['repeatOf']).toBe('a');
  });

  it.each([
    [
      { by: 'label', targetPerClass: 2 },
      RangeError,
      'Expected `targetPerClass` to be an integer ≥ 3, got `2` (number)',
    ],
    [
      { by: 'label', targetPerClass: 3.5 },
      RangeError,
      'Expected `targetPerClass` to be an integer ≥ 3, got `3.5` (number)',
    ],
    [
      { by: 'label', seed: Number.NaN },
      RangeError,
      'Expected `seed` to be a finite number, got `NaN` (number)',
    ],
    [
      { by: 5 },
      TypeError,
      'Expected `by` to be a metadata key or a function of the patient, got `5` (number)',
    ],
  ])('rejects options %j', (options, type, message) => {
    const ds = Dataset.fromPatients('d', [
      { id: 'a', metadata: { label: 'x' } },
      { id: 'b', metadata: { label: 'x' } },
      { id: 'c', metadata: { label: 'x' } },
    ]);
    expect(() => ds.balanceByRepeat(options as never)).toThrow(type);
    expect(() => ds.balanceByRepeat(options as never)).toThrow(message);
  });

  it('skips repeat ids that are already taken', () => {
    const ds = Dataset.fromPatients('d', [
      { id: 'a', metadata: { label: 'x' } },
      { id: 'a#r1', metadata: { label: 'y' } },
      { id: 'b', metadata: { label: 'y' } },
    ]);
    expect(ds.balanceByRepeat({ by: 'label' }).ids).toEqual(['a', 'a#r2', 'a#r1', 'b']);
  });
});
