/**
 * Runs one row of the pipeline benchmark in this (fresh) process and prints its measurement as
 * one JSON line prefixed by `RESULT_PREFIX`, so rows never share RSS, event loop, libvips
 * caches or libuv's thread pool:
 *
 * ```sh
 * node --import tsx bench/pipeline-row.ts <row> [--patches 20000] [--seed 1]
 * ```
 *
 * The canonical slides must exist (the `pipeline` scenario generates them first).
 */
import { parseArgs } from 'node:util';
import { measureRow, RESULT_PREFIX } from './pipeline-measure.js';
import { PIPELINE_ROWS } from './pipeline-rows.js';
import { CANONICAL_SLIDE_SIZE, canonicalDataset } from './pipeline-slides.js';
import type { Slide } from './pipeline-workload.js';

const { values, positionals } = parseArgs({
  options: {
    patches: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
  },
  allowPositionals: true,
});
const row = positionals[0] ?? '';
const definition = PIPELINE_ROWS.get(row);
if (definition === undefined) {
  console.error(
    `No row named ${JSON.stringify(row)}; have: ${[...PIPELINE_ROWS.keys()].join(', ')}`,
  );
  process.exit(2);
}
const patches = Number(values.patches);
const seed = Number(values.seed);
if (!Number.isInteger(patches) || patches < 1 || !Number.isInteger(seed)) {
  console.error(
    `Expected --patches and --seed to be integers, got ${values.patches} and ${values.seed}`,
  );
  process.exit(2);
}

const dataset = await canonicalDataset();
const slides: Slide[] = dataset.patients.map((p) => ({
  patient: p.id,
  path: p.records[0]!.path,
  width: CANONICAL_SLIDE_SIZE,
  height: CANONICAL_SLIDE_SIZE,
}));
const result = await measureRow(row, definition, { dataset, slides, seed }, patches);
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
