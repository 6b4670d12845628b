/**
 * A short hash of the synthetic-slide generator's code (comments and layout ignored) and of the
 * libvips version: the test and benchmark slide caches key their files by it, so a changed
 * generator never serves a stale slide.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { repositoryRootUrl } from './repository-root.js';

const SOURCES = [
  'src/readers/make-synthetic-slide.ts',
  'src/readers/internal/tissue-texture.ts',
  'src/internal/rng.ts',
];

let version: string | undefined;

/** The generator's version hash (12 hex digits), computed once per process. */
export function slideGeneratorVersion(): string {
  if (version === undefined) {
    const hash = createHash('sha256');
    for (const file of SOURCES) {
      const code = readFileSync(new URL(file, repositoryRootUrl()), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/\s+/g, ' ');
      hash.update(code);
    }
    hash.update(sharp.versions.vips);
    version = hash.digest('hex').slice(0, 12);
  }
  return version;
}
