import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { drawPatchMap } from '../../src/stats/draw-patch-map.js';
import type { ServedSample } from '../../src/stats/served-log.js';
import { syntheticSlidePath } from '../helpers/synthetic-slides.js';

let slide: string;
const dirs: string[] = [];
beforeAll(async () => {
  slide = await syntheticSlidePath({ width: 2048, height: 2048, tileSize: 256, seed: 1 });
});
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function outFile(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lightdl-patch-map-'));
  dirs.push(dir);
  return path.join(dir, 'map.png');
}

async function pixels(file: string): Promise<{ data: Buffer; width: number; channels: number }> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, channels: info.channels };
}

function at(
  img: { data: Buffer; width: number; channels: number },
  x: number,
  y: number,
): number[] {
  const i = (y * img.width + x) * img.channels;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}

const green = ([r, g, b]: number[]): boolean => g! > 200 && r! < 60 && b! < 60;

describe('drawPatchMap', () => {
  it('writes a PNG thumbnail of the requested size with every sample box outlined', async () => {
    const out = await outFile();
    // Thumbnail scale 256/2048 = 1/8: level-0 coordinates 8k + 4 land on pixel centres.
    const samples: ServedSample[] = [
      { patient: 'p', level: 0, x: 8 * 40 + 4, y: 8 * 50 + 4, width: 8 * 60, height: 8 * 30 },
      // Level 1 (downsample 2): level-1 coordinates are doubled first.
      {
        patient: 'p',
        level: 1,
        x: 4 * 150 + 2,
        y: 4 * 160 + 2,
        width: 4 * 40,
        height: 4 * 40,
        downsample: 2,
      },
    ];
    const size = await drawPatchMap(slide, samples, out, { maxSize: 256, color: '#00ff00' });
    expect(size).toEqual({ width: 256, height: 256 });
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 256, 256]);
    const img = await pixels(out);
    // Edges of box 1: x 40…100, y 50…80; of box 2: x 150…190, y 160…200.
    for (const [x, y] of [
      [40, 60],
      [100, 70],
      [70, 50],
      [55, 80],
      [150, 170],
      [190, 180],
      [170, 160],
      [160, 200],
    ] as const) {
      expect(green(at(img, x, y)), `(${x}, ${y}) ${at(img, x, y).join(',')}`).toBe(true);
    }
    // Inside, outside: the slide itself.
    for (const [x, y] of [
      [70, 65],
      [10, 10],
      [170, 180],
      [240, 240],
    ] as const) {
      expect(green(at(img, x, y)), `(${x}, ${y})`).toBe(false);
    }
  });

  it('keeps the aspect ratio of a non-square slide', async () => {
    const wide = await syntheticSlidePath({ width: 2048, height: 1536, tileSize: 256, seed: 1 });
    const out = await outFile();
    expect(await drawPatchMap(wide, [], out, { maxSize: 128 })).toEqual({ width: 128, height: 96 });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([128, 96]);
  });

  it('refuses bad options with the house message', async () => {
    const out = await outFile();
    await expect(drawPatchMap(slide, [], out, { maxSize: 8 })).rejects.toThrow(
      new RangeError('Expected `maxSize` to be an integer ≥ 16, got `8` (number)'),
    );
    await expect(drawPatchMap(slide, [], out, { color: '"/><script>' })).rejects.toThrow(
      new TypeError('Expected `color` to be a CSS colour, got `"\\"/><script>"` (string)'),
    );
  });

  it('rejects with the abort reason of an aborted signal', async () => {
    const reason = new Error('stop');
    await expect(
      drawPatchMap(slide, [], await outFile(), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });
});
