/**
 * Single-thread cost of the canonical big-chunk workload on a synthetic slide (256² JPEG tiles,
 * tissue-like texture): one random 2048² level-0 region, then 64 random 224² patches cropped out
 * of it in JS. Measured for the sharp reader, for raw sharp `toBuffer()` (file path and file in
 * memory, to show what the reader adds — mostly the copy into a transferable buffer — and whether
 * keeping the file in memory pays), and for the utif2 reader.
 * The last row is the ceiling the loader is measured against: single-thread sharp patches/s times
 * the number of cores.
 *
 * Every row draws its own random regions: libvips' operation cache would serve a region another
 * row had already decoded.
 *
 * Besides wall time, each row gives the process CPU time per run (JS plus libvips threads), which
 * stays meaningful when other work shares the machine; `patches/CPU-s` is what one core sustains.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import sharp from 'sharp';
import { Rng } from '../src/internal/rng.js';
import { SharpReader } from '../src/readers/sharp-reader.js';
import { Utif2Reader } from '../src/readers/utif2-reader.js';
import type { ImageReader } from '../src/readers/image-reader.js';
import type { BenchRow, BenchScenario } from './harness.js';
import { ensureBenchSlides } from './synthetic-slides.js';

const REGION = 2048;
const PATCH = 224;
const PATCHES = 64;

/** Copies `PATCHES` random `PATCH`² RGB crops out of a `REGION`² RGB buffer. */
function cropPatches(data: Uint8Array, rng: Rng): number {
  const row = PATCH * 3;
  let checksum = 0;
  for (let p = 0; p < PATCHES; p++) {
    const x = rng.int(0, REGION - PATCH);
    const y = rng.int(0, REGION - PATCH);
    const patch = new Uint8Array(PATCH * PATCH * 3);
    for (let r = 0; r < PATCH; r++) {
      const from = ((y + r) * REGION + x) * 3;
      patch.set(data.subarray(from, from + row), r * row);
    }
    checksum += patch[0]!;
  }
  return checksum;
}

/** Median wall time and median process CPU time (all threads: JS and libvips) per run, in ms. */
interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function measure(fn: () => Promise<unknown>, n: number): Promise<Timing> {
  await fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

/** A random region origin on a `size`² level. */
function origin(rng: Rng, size: number): { x: number; y: number } {
  return { x: rng.int(0, size - REGION), y: rng.int(0, size - REGION) };
}

async function readerCase(
  img: ImageReader,
  size: number,
  n: number,
  withCrops: boolean,
  seed: number,
): Promise<Timing> {
  const rng = Rng.seeded(seed);
  return measure(async () => {
    const { x, y } = origin(rng, size);
    const px = await img.readRegion({ level: 0, x, y, width: REGION, height: REGION });
    if (withCrops) cropPatches(px.data, rng);
  }, n);
}

/** 64 separate `PATCH`² reads at random level-0 positions (no big chunk). */
async function directPatchesCase(
  img: ImageReader,
  size: number,
  n: number,
  seed: number,
): Promise<Timing> {
  const rng = Rng.seeded(seed);
  return measure(async () => {
    for (let p = 0; p < PATCHES; p++) {
      const x = rng.int(0, size - PATCH);
      const y = rng.int(0, size - PATCH);
      await img.readRegion({ level: 0, x, y, width: PATCH, height: PATCH });
    }
  }, n);
}

async function rawSharpCase(
  input: string | Buffer,
  size: number,
  n: number,
  seed: number,
): Promise<Timing> {
  const rng = Rng.seeded(seed);
  return measure(async () => {
    const { x, y } = origin(rng, size);
    await sharp(input, { limitInputPixels: false })
      .extract({ left: x, top: y, width: REGION, height: REGION })
      .removeAlpha()
      .raw()
      .toBuffer();
  }, n);
}

export const readersScenario: BenchScenario = {
  name: 'readers',
  title: `Readers: one ${REGION}² level-0 region + ${PATCHES} × ${PATCH}² crops, single thread, synthetic slide with 256² JPEG tiles`,
  async run({ quick }) {
    const size = quick ? 8192 : 16384;
    console.error(`readers: ${size}² slide; sharp.concurrency() = ${sharp.concurrency()}`);
    const n = quick ? 5 : 21;
    const [path] = await ensureBenchSlides(1, size, {
      onGenerated: (p, ms) => console.error(`generated ${p} in ${(ms / 1000).toFixed(1)} s`),
    });
    const rows: BenchRow[] = [];
    const row = (reader: string, workload: string, t: Timing, patches: boolean): void => {
      rows.push({
        reader,
        workload,
        'median ms': t.wallMs,
        'CPU ms': t.cpuMs,
        'patches/s': patches ? (PATCHES * 1000) / t.wallMs : '',
        'patches/CPU-s': patches ? (PATCHES * 1000) / t.cpuMs : '',
      });
    };
    const s = await SharpReader.open(path!);
    try {
      row('sharp reader', `read ${REGION}²`, await readerCase(s, size, n, false, 1), false);
      const withCrops = await readerCase(s, size, n, true, 2);
      row('sharp reader', `read ${REGION}² + ${PATCHES} crops`, withCrops, true);
      row(
        'sharp reader',
        `${PATCHES} × read ${PATCH}²`,
        await directPatchesCase(s, size, quick ? 3 : 9, 3),
        true,
      );
      row('raw sharp, path', `extract ${REGION}²`, await rawSharpCase(path!, size, n, 4), false);
      const inMemory = await readFile(path!);
      row(
        'raw sharp, file in memory',
        `extract ${REGION}²`,
        await rawSharpCase(inMemory, size, n, 5),
        false,
      );
      const u = await Utif2Reader.open(path!);
      try {
        row(
          'utif2 reader',
          `read ${REGION}² + ${PATCHES} crops`,
          await readerCase(u, size, quick ? 2 : 5, true, 6),
          true,
        );
      } finally {
        await u.close();
      }
      const cores = os.cpus().length;
      rows.push({
        reader: `ceiling (sharp × ${cores} cores)`,
        workload: `read ${REGION}² + ${PATCHES} crops`,
        'median ms': '',
        'CPU ms': '',
        'patches/s': ((PATCHES * 1000) / withCrops.wallMs) * cores,
        'patches/CPU-s': ((PATCHES * 1000) / withCrops.cpuMs) * cores,
      });
    } finally {
      await s.close();
    }
    return rows;
  },
};
