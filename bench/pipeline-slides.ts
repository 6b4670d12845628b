/**
 * The canonical dataset of the pipeline benchmark (DESIGN.md §5): 8 synthetic 16384² pyramidal
 * TIFFs with 256² JPEG tiles (quality 80, tissue-like texture), the benchmarks' shared slides
 * (generated once per machine, see `synthetic-slides.ts`), one patient each.
 */
import { Dataset } from '../src/dataset/index.js';
import { ensureBenchSlides } from './synthetic-slides.js';

/** Number of canonical slides. */
export const CANONICAL_SLIDE_COUNT = 8;

/** Side of every canonical slide, in pixels. */
export const CANONICAL_SLIDE_SIZE = 16384;

/**
 * The canonical dataset: patients `slide-0` … `slide-7` (labelled `tumor`/`normal` in turn),
 * one record `'wsi'` each, generating the slides that are missing.
 *
 * @param log - Receives one line per slide generated (about 20 s each).
 */
export async function canonicalDataset(log?: (line: string) => void): Promise<Dataset> {
  const paths = await ensureBenchSlides(CANONICAL_SLIDE_COUNT, CANONICAL_SLIDE_SIZE, {
    ...(log === undefined
      ? {}
      : {
          onGenerated: (path: string, ms: number) =>
            log(`generated ${path} in ${(ms / 1000).toFixed(0)} s`),
        }),
  });
  return Dataset.fromPatients(
    'canonical',
    paths.map((path, i) => ({
      id: `slide-${i}`,
      metadata: { label: i % 2 === 0 ? 'tumor' : 'normal' },
      records: [{ name: 'wsi', path }],
    })),
  );
}
