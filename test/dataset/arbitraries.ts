/**
 * fast-check arbitraries and small utilities shared by the dataset tests.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import type { Metadata, MetadataValue, PatientInit, RecordInit } from '../../src/dataset/index.js';

/** Runs per property: `FC_NUM_RUNS`, default 100. */
export const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 100);

const key = fc.string({ minLength: 1, maxLength: 8 });

/** JSON values as metadata holds them (finite numbers, no -0). */
export const metadataValue: fc.Arbitrary<MetadataValue> = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as MetadataValue);

/** Metadata objects. */
export const metadata: fc.Arbitrary<Metadata> = fc.dictionary(key, metadataValue, { maxKeys: 4 });

/** Record inits. */
export const recordInit: fc.Arbitrary<RecordInit> = fc.record({
  name: key,
  path: fc.string({ minLength: 1, maxLength: 20 }),
  metadata,
});

/** Patient inits with distinct record names. */
export const patientInit: fc.Arbitrary<PatientInit> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 10 }),
  metadata,
  records: fc.uniqueArray(recordInit, { selector: (r) => r.name, maxLength: 3 }),
});

/** Patient lists with distinct ids. */
export const patientInits = (maxLength = 12): fc.Arbitrary<PatientInit[]> =>
  fc.uniqueArray(patientInit, { selector: (p) => p.id, maxLength });

/** Labelled patients: ids `p0…`, labels drawn from `classes` values. */
export const labelledPatients = (
  options: { minLength?: number; maxLength?: number; classes?: number } = {},
): fc.Arbitrary<PatientInit[]> =>
  fc
    .array(fc.integer({ min: 0, max: (options.classes ?? 4) - 1 }), {
      minLength: options.minLength ?? 0,
      maxLength: options.maxLength ?? 40,
    })
    .map((labels) =>
      labels.map((label, i) => ({
        id: `p${i}`,
        metadata: { label: `c${label}` },
        records: [{ name: 'wsi', path: `/data/p${i}.tif` }],
      })),
    );

/** Positive weights (1 to 5 parts) normalised to fractions summing to 1. */
export const fractions: fc.Arbitrary<number[]> = fc
  .array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 5 })
  .filter((ws) => ws.some((w) => w > 0))
  .map((ws) => {
    const total = ws.reduce((a, b) => a + b, 0);
    return ws.map((w) => w / total);
  });

/** A fresh temporary folder; `files` maps relative paths to contents (folders are created). */
export async function tempTree(files: { readonly [path: string]: string } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lightdl-dataset-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

/** Removes a temporary folder made by {@link tempTree}. */
export async function removeTree(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Deep-freezes nothing, but deep-copies: a snapshot to compare the caller's data against later. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
