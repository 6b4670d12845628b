import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageError, type ImageErrorCode } from '../../src/errors.js';
import { openImage } from '../../src/readers/open-image.js';
import type { ImageReader } from '../../src/readers/image-reader.js';
import { fcRuns, fixture } from './support/images.js';

const opened: ImageReader[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((img) => img.close()));
});

type Outcome = 'ok' | ImageErrorCode;
/** Bad (and borderline) inputs: what opening, then reading all of level 0, gives per reader. */
const CORPUS: readonly (readonly [file: string, sharp: Outcome, utif2: Outcome, read?: Outcome])[] =
  [
    ['missing.tif', 'ERR_FILE_NOT_FOUND', 'ERR_FILE_NOT_FOUND'],
    ['.', 'ERR_NOT_AN_IMAGE', 'ERR_NOT_AN_IMAGE'],
    ['not-an-image.tif', 'ERR_NOT_AN_IMAGE', 'ERR_NOT_AN_IMAGE'],
    ['empty-file.tif', 'ERR_NOT_AN_IMAGE', 'ERR_NOT_AN_IMAGE'],
    ['truncated.tif', 'ERR_IMAGE_DECODE', 'ERR_IMAGE_DECODE'],
    ['tile-past-eof.tif', 'ERR_IMAGE_DECODE', 'ERR_IMAGE_DECODE'],
    ['corrupt-ifd-offset.tif', 'ERR_IMAGE_DECODE', 'ERR_IMAGE_DECODE'],
    ['ifd-loop.tif', 'ERR_IMAGE_DECODE', 'ERR_IMAGE_DECODE'],
    ['corrupt-jpeg-tiles.tif', 'ok', 'ok', 'ERR_IMAGE_DECODE'],
    ['corrupt-deflate-tiles.tif', 'ok', 'ok', 'ERR_IMAGE_DECODE'],
    ['aperio-jp2k.svs', 'ERR_UNSUPPORTED_COMPRESSION', 'ERR_UNSUPPORTED_COMPRESSION'],
    ['zstd.tif', 'ERR_UNSUPPORTED_COMPRESSION', 'ERR_UNSUPPORTED_COMPRESSION'],
    ['webp-tiled.tif', 'ok', 'ERR_UNSUPPORTED_COMPRESSION', 'ok'],
    ['bigtiff.tif', 'ok', 'ERR_UNSUPPORTED_FORMAT', 'ok'],
    ['zero-width.tif', 'ERR_EMPTY_IMAGE', 'ERR_EMPTY_IMAGE'],
    ['zero-size.png', 'ERR_EMPTY_IMAGE', 'ERR_EMPTY_IMAGE'],
    ['huge-header.tif', 'ERR_IMAGE_TOO_LARGE', 'ERR_IMAGE_TOO_LARGE'],
    ['huge-header.png', 'ERR_IMAGE_TOO_LARGE', 'ERR_IMAGE_TOO_LARGE'],
  ];

async function outcome(
  path: string,
  reader: 'sharp' | 'utif2',
): Promise<{ open: Outcome; read?: Outcome; error?: unknown }> {
  let img: ImageReader;
  try {
    img = await openImage(path, { reader });
  } catch (error) {
    return { open: error instanceof ImageError ? error.code : (String(error) as Outcome), error };
  }
  try {
    const { width, height } = img.levels[0]!;
    await img.readRegion({ level: 0, x: 0, y: 0, width, height });
    return { open: 'ok', read: 'ok' };
  } catch (error) {
    return {
      open: 'ok',
      read: error instanceof ImageError ? error.code : (String(error) as Outcome),
      error,
    };
  } finally {
    await img.close();
  }
}

describe('openImage on the bad-input corpus', () => {
  for (const [file, sharpOutcome, utifOutcome, read] of CORPUS) {
    for (const [reader, expected] of [
      ['sharp', sharpOutcome],
      ['utif2', utifOutcome],
    ] as const) {
      if (reader === 'utif2' && (file === 'image.png' || (expected === 'ok' && read === undefined)))
        continue;
      it(
        `${file} with ${reader}: ${expected === 'ok' ? `opens, reads ${read ?? 'ok'}` : expected}`,
        { timeout: 15_000 },
        async () => {
          const path = fixture(file);
          const result = await outcome(path, reader);
          expect(result.open).toBe(expected);
          if (expected === 'ok') expect(result.read).toBe(read ?? 'ok');
          if (result.error !== undefined) {
            expect(result.error).toBeInstanceOf(ImageError);
            expect((result.error as ImageError).context.path).toBe(path);
            expect((result.error as ImageError).message).toContain(`file ${path}`);
            if (result.open === 'ok') {
              expect((result.error as ImageError).context.region).toMatchObject({
                level: 0,
                x: 0,
                y: 0,
              });
            }
          }
        },
      );
    }
  }

  it('explains that JPEG 2000 Aperio slides cannot be decoded by prebuilt sharp', async () => {
    const { error } = await outcome(fixture('aperio-jp2k.svs'), 'sharp');
    expect((error as Error).message).toContain('JPEG 2000 (compression 33003)');
    expect((error as Error).message).toContain('prebuilt sharp (libvips without OpenJPEG)');
  });
});

describe('openImage on damaged copies of valid files', () => {
  let dir: string;
  const originals: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lightdl-fuzz-'));
    for (const name of ['lzw-tiled.tif', 'pyramid-jpeg.tif', 'ome-subifd.tif', 'image.png']) {
      originals[name] = new Uint8Array(await readFile(fixture(name)));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'either reads or rejects with an ImageError, never anything else, whatever bytes are damaged',
    { timeout: 60_000 },
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(originals)),
          // Positions anywhere, or within the first/last 600 bytes (headers and directories).
          fc.array(
            fc.tuple(
              fc.oneof(
                fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
                fc.integer({ min: 0, max: 599 }),
                fc.integer({ min: -600, max: -1 }),
              ),
              fc.integer({ min: 0, max: 255 }),
            ),
            { minLength: 1, maxLength: 8 },
          ),
          fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
          fc.constantFrom('sharp' as const, 'utif2' as const),
          async (name, edits, keep, reader) => {
            const bytes = originals[name]!.slice(
              0,
              keep === undefined ? undefined : Math.ceil(originals[name]!.length * keep),
            );
            for (const [at, value] of edits) {
              const i = Number.isInteger(at)
                ? (at + bytes.length) % bytes.length
                : Math.floor(at * bytes.length);
              bytes[i] = value;
            }
            const path = join(dir, `${n++}-${name}`);
            await writeFile(path, bytes);
            const result = await outcome(path, reader);
            if (result.error !== undefined) {
              expect(result.error).toBeInstanceOf(ImageError);
              expect((result.error as ImageError).context.path).toBe(path);
            }
          },
        ),
        { numRuns: fcRuns(150) },
      );
    },
  );
});

describe('openImage reader selection', () => {
  it('picks sharp by default and utif2 on request', async () => {
    const a = await openImage(fixture('lzw-tiled.tif'));
    const b = await openImage(fixture('lzw-tiled.tif'), { reader: 'utif2' });
    const c = await openImage(fixture('image.jpg'), { reader: 'auto' });
    opened.push(a, b, c);
    expect([a.reader, b.reader, c.reader]).toEqual(['sharp', 'utif2', 'sharp']);
  });

  it('validates its options with the house message shape', async () => {
    await expect(
      openImage(fixture('lzw-tiled.tif'), { reader: 'magick' as 'sharp' }),
    ).rejects.toThrow(
      new TypeError(
        "Expected `reader` to be one of 'auto', 'sharp', 'utif2', got `\"magick\"` (string)",
      ),
    );
    await expect(openImage(fixture('missing.tif'), { maxRegionPixels: -1 })).rejects.toThrow(
      new RangeError(
        'Expected `maxRegionPixels` to be an integer between 1 and 2147483648, got `-1` (number)',
      ),
    );
    await expect(openImage('')).rejects.toThrow(
      new TypeError('Expected `path` to be a non-empty string, got `""` (string)'),
    );
  });

  it('rejects with the abort reason when already aborted, before touching the file', async () => {
    const reason = new Error('stop');
    await expect(
      openImage(fixture('missing.tif'), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it(
    'loads neither sharp nor utif2 when the barrel is imported, and only utif2 for a utif2 read',
    { timeout: 30_000 },
    async () => {
      const script = fileURLToPath(new URL('./support/loaded-modules.ts', import.meta.url));
      const run = async (...args: string[]): Promise<string[]> => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', script, ...args],
          {
            cwd: fileURLToPath(new URL('../../', import.meta.url)),
          },
        );
        return JSON.parse(stdout) as string[];
      };
      expect(await run()).toEqual([]);
      expect(await run(fixture('lzw-tiled.tif'), 'utif2')).toEqual(['utif2']);
      expect(await run(fixture('lzw-tiled.tif'), 'auto')).toEqual(['sharp']);
    },
  );
});
