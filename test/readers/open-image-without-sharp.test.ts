import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImageError } from '../../src/errors.js';
import type { ImageReader } from '../../src/readers/image-reader.js';

// sharp's native binding failing to load, as on a platform without a prebuilt binary.
vi.mock('sharp', () => {
  throw new Error('Could not load the "sharp" module using the linux-x64 runtime');
});

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/images/${name}`, import.meta.url));

/** The messages of an error's cause chain (vitest wraps the mock factory's error once). */
function causes(err: unknown): string {
  const parts: string[] = [];
  for (let e = (err as Error).cause; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join(' <- ');
}

const opened: ImageReader[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((img) => img.close()));
});

describe('openImage when sharp cannot be loaded', () => {
  it('falls back to utif2 for a classic TIFF', async () => {
    const { openImage } = await import('../../src/readers/open-image.js');
    const img = await openImage(fixture('lzw-tiled.tif'));
    opened.push(img);
    expect(img.reader).toBe('utif2');
  });

  it('rejects other formats with ERR_UNSUPPORTED_FORMAT, sharp load error as cause', async () => {
    const { openImage } = await import('../../src/readers/open-image.js');
    for (const [name, what] of [
      ['image.png', 'this is PNG'],
      ['bigtiff.tif', 'this is BigTIFF'],
    ] as const) {
      const err = await openImage(fixture(name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect(err).toMatchObject({
        code: 'ERR_UNSUPPORTED_FORMAT',
        context: { path: fixture(name) },
      });
      expect((err as Error).message).toContain(what);
      expect(causes(err)).toContain('Could not load the "sharp" module');
    }
    const explicit = await openImage(fixture('lzw-tiled.tif'), { reader: 'sharp' }).catch(
      (e: unknown) => e,
    );
    expect(explicit).toMatchObject({ code: 'ERR_UNSUPPORTED_FORMAT' });
    expect((explicit as Error).message).toContain('The sharp reader cannot be loaded');
  });
});
