import type { LabelSelector } from './types.js';

/**
 * Options of {@link Dataset.summary}.
 *
 * @example
 * ```ts
 * console.log(dataset.summary({ by: 'label' }));
 * ```
 */
export interface SummaryOptions {
  /**
   * The label to count patients by. Patients without a usable label are counted as `(none)`.
   *
   * @defaultValue `'label'` when at least one patient has a `label` metadata key; otherwise no
   *   label counts are shown
   */
  readonly by?: LabelSelector;
}
