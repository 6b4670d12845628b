/**
 * The repository's root, found through an installed package rather than this file's location,
 * so that compiled copies of scripts and benchmarks (under `.cache/`) find the same folders.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder holding `node_modules/`, as a URL ending in `/`. */
export function repositoryRootUrl(): string {
  const resolved = pathToFileURL(createRequire(import.meta.url).resolve('sharp')).href;
  const at = resolved.lastIndexOf('/node_modules/');
  if (at < 0) throw new Error(`Expected sharp under node_modules, got ${resolved}`);
  return resolved.slice(0, at + 1);
}

/** The repository's root as a path ending in `/`. */
export function repositoryRoot(): string {
  return fileURLToPath(repositoryRootUrl());
}
