/**
 * Child-process probe for the lazy-loading test: imports the readers barrel, optionally opens and
 * reads an image (`<path> <reader>`), then prints which of sharp and utif2 got loaded, as JSON.
 */
import { createRequire } from 'node:module';
import { openImage } from '../../../src/readers/index.js';

const [path, reader] = process.argv.slice(2);
if (path !== undefined) {
  const img = await openImage(path, { reader: reader as 'auto' | 'sharp' | 'utif2' });
  await img.readRegion({ level: 0, x: 0, y: 0, width: 1, height: 1 });
  await img.close();
}
const cache = Object.keys(createRequire(import.meta.url).cache);
const loaded = ['sharp', 'utif2'].filter((name) =>
  cache.some((file) =>
    name === 'sharp' ? /[\\/](sharp|@img)[\\/]/.test(file) : file.includes(`${name}/`),
  ),
);
process.stdout.write(JSON.stringify(loaded));
