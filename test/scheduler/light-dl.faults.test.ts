/**
 * LightDL survives faults: each is reported on `errors$` with a typed error naming the patient
 * (and record, file and region where they apply) while the other patients keep flowing; a patient
 * that keeps failing is set aside; when every patient is, the stream ends (it never hangs).
 */
import { describe, expect, it } from 'vitest';
import type { SmallChunk, SmallChunkInfo } from '../../src/collectors/small-chunk.js';
import {
  CollectorError,
  ImageError,
  JobTimeoutError,
  LoaderError,
  PatientSetAsideError,
  PatientsExhaustedError,
  WorkerExitedError,
  type LightdlError,
} from '../../src/errors.js';
import { randomPatches } from '../../src/collectors/random-patches.js';
import { randomRegion } from '../../src/loaders/random-region.js';
import type { LightDL } from '../../src/scheduler/light-dl.js';
import {
  COLLECTORS,
  HANGING_LOADER_JS,
  LOADERS,
  SMALL,
  badImage,
  datasetOf,
  lightDLFactory,
  slidePaths,
  until,
  walk,
} from '../fixtures/workers/tree-harness.js';

const make = lightDLFactory();

/** p0, p1: good slides; then the given extra patients. */
async function dataset(extra: readonly { id: string; path: string }[] = [{ id: 'bad', path: '' }]) {
  const [a, b] = await slidePaths(2);
  return datasetOf([
    { id: 'p0', path: a! },
    { id: 'p1', path: b! },
    ...extra.map((e) => ({ id: e.id, path: e.path === '' ? a! : e.path })),
  ]);
}

/**
 * Consumes until `after` samples of other patients arrived after an error matching `wanted`.
 * Resolves with every error reported and the samples of the patients in `bad`.
 */
async function survive(
  dl: LightDL,
  bad: readonly string[],
  wanted: (e: LightdlError, errors: readonly LightdlError[]) => boolean,
  after = 24,
): Promise<{ errors: LightdlError[]; fromBad: SmallChunkInfo[] }> {
  const errors: LightdlError[] = [];
  dl.errors$.subscribe((e) => errors.push(e));
  const fromBad: SmallChunkInfo[] = [];
  let goodAfter = 0;
  await walk(dl, (s) => {
    if (bad.includes(s.info.patient)) fromBad.push(s.info);
    else if (errors.some((e) => wanted(e, errors))) goodAfter++;
    return goodAfter < after;
  });
  return { errors, fromBad };
}

const FAST_SWAPS = { numBigChunkLoaders: 2, rescheduleIntervalMs: 40 } as const;

describe('LightDL faults', { timeout: 40_000 }, () => {
  it('reports a user loader that throws for one patient as a LoaderError and goes on', async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      dataset: await dataset(),
      bigChunkLoader: {
        module: LOADERS,
        export: 'faulty',
        options: { region: { width: 256, height: 256 }, patient: 'bad', fault: 'throw' },
      },
    });
    const { errors, fromBad } = await survive(dl, ['bad'], (e) => e instanceof LoaderError);
    expect(fromBad).toEqual([]);
    const e = errors.find((x) => x instanceof LoaderError)!;
    expect(e.code).toBe('ERR_LOADER_FAILED');
    expect(e.context).toMatchObject({ patient: 'bad', attempt: 1 });
    expect(e.message).toContain('loader refuses bad');
    expect((e.cause as Error).name).toBe('RefusedPatientError');
    expect(errors.every((x) => x.context.patient === 'bad')).toBe(true);
  });

  it('reports a user collector that throws as a CollectorError naming patient, record and region', async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      dataset: await dataset(),
      smallChunkCollector: {
        module: COLLECTORS,
        export: 'faulty',
        options: { patches: { width: 16, height: 16, perBigChunk: 8 }, patient: 'bad', atCall: 0 },
      },
    });
    const { errors, fromBad } = await survive(dl, ['bad'], (e) => e instanceof CollectorError);
    expect(fromBad).toEqual([]);
    const e = errors.find((x) => x instanceof CollectorError)!;
    expect(e.code).toBe('ERR_COLLECTOR_FAILED');
    expect(e.context.patient).toBe('bad');
    expect(e.context.record).toBe('wsi');
    expect(e.context.region).toMatchObject({ level: 0, width: 512, height: 512 });
    expect(e.message).toContain('collector chokes on bad at call 0');
    expect((e.cause as Error).name).toBe('TypeError');
  });

  it('survives a worker that calls process.exit() while loading one patient', async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      maxRetries: 0,
      dataset: await dataset(),
      bigChunkLoader: {
        module: LOADERS,
        export: 'faulty',
        options: { region: { width: 256, height: 256 }, patient: 'bad', fault: 'exit' },
      },
    });
    const { errors, fromBad } = await survive(dl, ['bad'], (e) => e instanceof LoaderError);
    expect(fromBad).toEqual([]);
    const e = errors.find((x) => x instanceof LoaderError)!;
    expect(e.context.patient).toBe('bad');
    expect(e.cause).toBeInstanceOf(WorkerExitedError);
    expect((e.cause as WorkerExitedError).exitCode).toBe(3);
    expect(e.context.worker).toBeTypeOf('number');
    expect(dl.stats().pool!.restarts).toBeGreaterThanOrEqual(1);
    expect(dl.stats().scheduler.counters.loadsFailed).toBeGreaterThanOrEqual(1);
  });

  it('reports a load that hangs past jobTimeoutMs and recycles its worker', async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      jobTimeoutMs: 2500,
      maxRetries: 0,
      dataset: await dataset(),
      bigChunkLoader: { module: HANGING_LOADER_JS, export: 'hangFor', options: { patient: 'bad' } },
    });
    const { errors, fromBad } = await survive(
      dl,
      ['bad'],
      (e) => e.context.patient === 'bad' && e.cause instanceof JobTimeoutError,
    );
    expect(fromBad).toEqual([]);
    // (On a loaded machine a healthy patient's load may time out too: only the hanging
    // patient's timeout is certain.)
    const e = errors.find(
      (x) => x.context.patient === 'bad' && x.cause instanceof JobTimeoutError,
    )!;
    expect(e).toBeInstanceOf(LoaderError);
    expect(e.context.patient).toBe('bad');
    expect((e.cause as JobTimeoutError).timeoutMs).toBe(2500);
    expect(dl.stats().pool!.timedOut).toBeGreaterThanOrEqual(1);
  });

  it("does not count the import of the user's loader module against jobTimeoutMs", async () => {
    // The module takes 2 s to import; every job it runs takes no time at all.
    const SLOW_IMPORT_JS = `data:text/javascript,${encodeURIComponent(`
      await new Promise((resolve) => setTimeout(resolve, 2000));
      export function flat() {
        return { data: new Uint8Array(64 * 64 * 3).fill(7), width: 64, height: 64, channels: 3 };
      }`)}`;
    const dl = make({
      ...SMALL,
      jobTimeoutMs: 1000,
      maxRetries: 0,
      dataset: await dataset([]),
      bigChunkLoader: { module: SLOW_IMPORT_JS, export: 'flat' },
      smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 4 }),
    });
    const errors: LightdlError[] = [];
    dl.errors$.subscribe((e) => errors.push(e));
    const n = await walk(dl, (_, i) => i < 40);
    expect(n).toBe(41);
    expect(errors).toEqual([]);
    expect(dl.stats().pool!.timedOut).toBe(0);
  });

  it('reports missing, corrupt and non-image files with their code, patient, record and file', async () => {
    const bad = [
      { id: 'missing', path: '/nonexistent/slide.tif', code: 'ERR_FILE_NOT_FOUND' },
      { id: 'corrupt', path: badImage('corrupt-jpeg-tiles.tif'), code: 'ERR_IMAGE_DECODE' },
      { id: 'garbage', path: badImage('not-an-image.tif'), code: 'ERR_NOT_AN_IMAGE' },
    ];
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      failure: { backoffMs: 20 },
      dataset: await dataset(bad),
    });
    const ids = bad.map((b) => b.id);
    const { errors, fromBad } = await survive(dl, ids, (_, all) =>
      ids.every((id) => all.some((x) => x instanceof LoaderError && x.context.patient === id)),
    );
    expect(fromBad).toEqual([]);
    for (const b of bad) {
      const e = errors.find((x) => x instanceof LoaderError && x.context.patient === b.id)!;
      expect(e.context.record).toBe('wsi');
      expect(e.context.path).toBe(b.path);
      expect(e.cause).toBeInstanceOf(ImageError);
      expect((e.cause as ImageError).code).toBe(b.code);
    }
    // The corrupt file opened; its region read failed: the region is named.
    const corrupt = errors.find((x) => x.context.patient === 'corrupt')!;
    expect(corrupt.context.region).toEqual({ level: 0, x: 0, y: 0, width: 64, height: 64 });
  });

  it('sets aside a patient after failure.maxConsecutiveFailures, backing off in between', async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      failure: { maxConsecutiveFailures: 2, backoffMs: 10 },
      dataset: await dataset([{ id: 'bad', path: '/nonexistent/slide.tif' }]),
    });
    const { errors, fromBad } = await survive(
      dl,
      ['bad'],
      (e) => e instanceof PatientSetAsideError,
    );
    expect(fromBad).toEqual([]);
    const mine = errors.filter((e) => e.context.patient === 'bad');
    expect(mine.map((e) => e.constructor.name)).toEqual([
      'LoaderError',
      'LoaderError',
      'PatientSetAsideError',
    ]);
    expect(mine.map((e) => e.context.attempt)).toEqual([1, 2, undefined]);
    const aside = mine[2] as PatientSetAsideError;
    expect(aside.code).toBe('ERR_PATIENT_SET_ASIDE');
    expect(aside.failures).toBe(2);
    const s = dl.stats().scheduler;
    const patient = s.patients.find((p) => p.id === 'bad')!;
    expect(patient.setAside).toBe(true);
    expect(patient.timesScheduled).toBe(2);
    expect(s.counters.setAside).toBe(1);
  });

  it('ends the stream with PatientsExhaustedError when every patient fails, and closes', async () => {
    const dl = make({
      ...SMALL,
      failure: { maxConsecutiveFailures: 2, backoffMs: 5 },
      dataset: datasetOf([
        { id: 'a', path: '/nonexistent/a.tif' },
        { id: 'b', path: badImage('corrupt-deflate-tiles.tif') },
      ]),
    });
    const errors: LightdlError[] = [];
    dl.errors$.subscribe((e) => errors.push(e));
    const failure = await walk(dl, () => true).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PatientsExhaustedError);
    expect([...(failure as PatientsExhaustedError).patients].sort()).toEqual(['a', 'b']);
    expect(errors.filter((e) => e instanceof PatientSetAsideError)).toHaveLength(2);
    await dl.close();
    expect(dl.stats().closed).toBe(true);
    expect(dl.stats().pool!.liveWorkers).toBe(0);
  });

  it('fails smallChunks$ subscribers with PatientsExhaustedError too', async () => {
    const dl = make({
      ...SMALL,
      failure: { maxConsecutiveFailures: 1, backoffMs: 0 },
      dataset: datasetOf([{ id: 'a', path: '/nonexistent/a.tif' }]),
    });
    let failure: unknown;
    const seen: SmallChunk[] = [];
    dl.smallChunks$.subscribe({ next: (c) => seen.push(c), error: (e: unknown) => (failure = e) });
    await until(() => failure !== undefined, 'the stream to fail');
    expect(failure).toBeInstanceOf(PatientsExhaustedError);
    expect(seen).toEqual([]);
  });

  it("fails the stream with the patient's LoaderError under failure.onExhausted: 'fail'", async () => {
    const dl = make({
      ...SMALL,
      ...FAST_SWAPS,
      failure: { maxConsecutiveFailures: 1, backoffMs: 0, onExhausted: 'fail' },
      dataset: await dataset([{ id: 'bad', path: '/nonexistent/slide.tif' }]),
      bigChunkLoader: randomRegion({ width: 128, height: 128 }),
      smallChunkCollector: randomPatches({ width: 16, height: 16, perBigChunk: 4 }),
    });
    const failure = await walk(dl, () => true).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LoaderError);
    expect((failure as LoaderError).context.patient).toBe('bad');
    await dl.close();
    expect(dl.stats().pool!.liveWorkers).toBe(0);
  });
});
