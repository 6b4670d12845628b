/**
 * `npm run bench [-- [--quick] [name ...]]`: runs the benchmark scenarios side by side, prints a
 * table per scenario and writes `bench/results/<name>.json` plus `bench/results/all.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatTable, type BenchRow, type BenchScenario } from './harness.js';
import { scenarios } from './scenarios.js';

const { values, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const selected: readonly BenchScenario[] =
  positionals.length === 0 ? scenarios : scenarios.filter((s) => positionals.includes(s.name));
if (selected.length === 0) {
  console.error(
    `No scenario named ${positionals.join(', ')}; have: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const machine = {
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  totalMemGiB: Math.round(os.totalmem() / 2 ** 30),
  date: new Date().toISOString(),
};
console.log(
  `lightdl benchmarks — ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}${values.quick ? ' (quick)' : ''}`,
);

const results: Record<string, readonly BenchRow[]> = {};
const outDir = new URL('./results/', import.meta.url);
await mkdir(outDir, { recursive: true });
for (const scenario of selected) {
  const rows = await scenario.run({ quick: values.quick });
  results[scenario.name] = rows;
  console.log(formatTable(scenario.title, rows));
  await writeFile(
    new URL(`${scenario.name}.json`, outDir),
    JSON.stringify({ machine, scenario: scenario.name, title: scenario.title, rows }, null, 2),
  );
}
await writeFile(new URL('all.json', outDir), JSON.stringify({ machine, results }, null, 2));
console.log(`\nJSON written to bench/results/`);
