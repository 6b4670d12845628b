/**
 * LightDL's bounded log of served samples and the patch map drawn from it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmallChunkInfo } from '../../src/collectors/small-chunk.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import {
  SMALL,
  lightDLFactory,
  slideDataset,
  until,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('LightDL served log', () => {
  it('logs every delivered sample in order, keeping the last servedLogSize', async () => {
    const dl = make({
      ...SMALL,
      dataset: await slideDataset(2),
      servedLogSize: 30,
      bigChunkLoader: randomRegion({ level: 1, width: 256, height: 256 }),
    });
    const delivered: SmallChunkInfo[] = [];
    const sub = dl.smallChunks$.subscribeWithDemand((c) => delivered.push(c.info));
    sub.request(48);
    await until(() => delivered.length === 48, '48 small chunks');
    sub.unsubscribe();
    const log = dl.servedLog;
    expect(log.capacity).toBe(30);
    expect(log.evicted).toBe(delivered.length - 30);
    expect(log.toArray()).toEqual(
      delivered.slice(-30).map((i) => ({
        patient: i.patient,
        level: 1,
        x: i.x,
        y: i.y,
        width: i.width,
        height: i.height,
        downsample: 2,
      })),
    );
  });

  it('draws where the served patches of a patient were taken', async () => {
    const dl = make({
      ...SMALL,
      dataset: await slideDataset(2),
      smallChunkCollector: randomPatches({ width: 64, height: 64, perBigChunk: 4 }),
    });
    let fromP0 = 0;
    await walk(dl, (s) => (fromP0 += s.info.patient === 'p0' ? 1 : 0) < 12);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lightdl-map-'));
    dirs.push(dir);
    const out = path.join(dir, 'p0.png');
    expect(await dl.drawPatchMap('p0', out, { maxSize: 256, color: '#00ff00' })).toEqual({
      width: 256,
      height: 256,
    });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    // The top-left corner of every p0 box (2048 → 256: scale 1/8) is outlined.
    const boxes = dl.servedLog.forPatient('p0');
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) {
      const x = Math.min(255, Math.round(b.x / 8));
      const y = Math.min(255, Math.round(b.y / 8));
      const near = [-1, 0, 1].flatMap((dx) =>
        [-1, 0, 1].map((dy) => {
          const i = ((y + dy) * info.width + (x + dx)) * info.channels;
          return data[i + 1]! > 150 && data[i]! < 100 && data[i + 2]! < 100;
        }),
      );
      expect(near.some(Boolean), `box at (${b.x}, ${b.y})`).toBe(true);
    }
    await expect(dl.drawPatchMap('nobody', out)).rejects.toThrow(
      new TypeError(
        'Expected `patientId` to be the id of a patient with a record, got `"nobody"` (string)',
      ),
    );
  });
});
