#!/usr/bin/env node
/**
 * The `lightdl` command. `lightdl demo` (what `npm start` runs) streams batches out of built-in
 * synthetic slides with a live status line, then prints a summary and writes patch maps.
 *
 * @packageDocumentation
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomPatches } from '../collectors/random-patches.js';
import { randomRegion } from '../loaders/random-region.js';
import { makeSyntheticDataset } from '../readers/make-synthetic-dataset.js';
import { LightDL } from '../scheduler/light-dl.js';

function int(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

interface DemoOptions {
  readonly slides: number;
  readonly size: number;
  readonly region: number;
  readonly patch: number;
  readonly perRegion: number;
  readonly seconds: number;
  readonly workers: number;
  readonly active: number;
  readonly batchSize: number;
  readonly cache: string;
  readonly maps: boolean;
  readonly seed: number;
}

async function demo(o: DemoOptions): Promise<void> {
  const tty = process.stdout.isTTY;
  const dir = path.resolve(o.cache);
  console.log(`lightdl demo: ${o.slides} synthetic ${o.size}² slides in ${dir}`);
  const dataset = await makeSyntheticDataset({
    dir: path.join(dir, 'slides'),
    count: o.slides,
    width: o.size,
    height: o.size,
    seed: o.seed,
    onSlide: (i, n, reused) =>
      console.log(`  slide ${i + 1}/${n} ${reused ? 'reused' : 'generated'}`),
  });
  console.log(dataset.summary());

  const dl = new LightDL({
    dataset,
    bigChunkLoader: randomRegion({ level: 0, width: o.region, height: o.region }),
    smallChunkCollector: randomPatches({
      width: o.patch,
      height: o.patch,
      perBigChunk: o.perRegion,
    }),
    numBigChunkLoaders: o.active,
    rescheduleIntervalMs: 1000,
    batchSize: o.batchSize,
    workers: o.workers,
    seed: o.seed,
  });
  dl.errors$.subscribe((e) => console.error(`\n  ! ${e.name} (${e.code}): ${e.message}`));
  const status = dl.stats$.subscribe((s) => {
    const line = `  ${(s.elapsedMs / 1000).toFixed(1)} s  ${s.smallChunksDelivered} patches  ${s.smallChunksPerSecond.toFixed(0)}/s  buffered ${s.buffered}  active ${s.scheduler.slots
      .map((slot) => slot.patient ?? '–')
      .join(' ')}`;
    process.stdout.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
  });
  const deadline = performance.now() + o.seconds * 1000;
  let checksum = 0;
  for await (const batch of dl) {
    checksum = (checksum + (batch.data[batch.data.length >> 1] ?? 0)) % 65521;
    // Done with its pixels: a later batch is written into its memory.
    dl.release(batch);
    if (performance.now() >= deadline) break;
  }
  status.unsubscribe();
  if (tty) process.stdout.write('\n');
  console.log(dl.summary());
  console.log(`  (checksum of sampled bytes: ${checksum})`);
  if (o.maps) {
    const mapsDir = path.join(dir, 'maps');
    await mkdir(mapsDir, { recursive: true });
    for (const p of dataset.patients) {
      const out = path.join(mapsDir, `${p.id}.png`);
      await dl.drawPatchMap(p.id, out, { maxSize: 768 });
      console.log(`  patch map: ${out} (${dl.servedLog.forPatient(p.id).length} patches)`);
    }
  }
  await dl.close();
}

const program = new Command('lightdl')
  .description('Stream training patches out of gigapixel images.')
  .showHelpAfterError();

program
  .command('demo', { isDefault: true })
  .description('stream batches from built-in synthetic slides (no data needed)')
  .option('--slides <n>', 'number of synthetic slides', int(1), 4)
  .option('--size <px>', 'slide width and height', int(256), 8192)
  .option('--region <px>', 'big-chunk (region) size', int(16), 2048)
  .option('--patch <px>', 'small-chunk (patch) size', int(1), 224)
  .option('--per-region <n>', 'patches cut per region', int(1), 64)
  .option('--seconds <s>', 'how long to stream', int(1), 15)
  .option('--workers <n>', 'worker threads (-1: all CPUs)', (v) => Number(v), -1)
  .option('--active <n>', 'patients active at once', int(1), 4)
  .option('--batch-size <n>', 'patches per batch', int(1), 32)
  .option('--cache <dir>', 'where slides and maps go', '.cache/lightdl-demo')
  .option('--no-maps', 'skip writing patch maps')
  .option('--seed <n>', 'seed of every random choice', int(0), 1)
  .action(async (options: DemoOptions) => {
    await demo(options);
  });

await program.parseAsync();
