import type { SplitOptions } from './split-options.js';
import type { LabelSelector } from './types.js';

/**
 * Options of {@link Dataset.stratifiedSplit}: those of {@link SplitOptions} plus the label to
 * stratify by.
 *
 * @remarks
 * Each class is split in proportion on its own: a class of `n` patients puts the floor or the
 * ceiling of `n × fraction` into each part, and each part's total size is also the floor or the
 * ceiling of its overall quota.
 *
 * @example
 * ```ts
 * const options: StratifiedSplitOptions = { by: 'label', percentages: [80, 20], seed: 7 };
 * const [train, test] = dataset.stratifiedSplit(options);
 * ```
 */
export interface StratifiedSplitOptions extends SplitOptions {
  /**
   * The label: a metadata key every patient has a primitive value under, or a function of the
   * patient returning a {@link Label}.
   */
  readonly by: LabelSelector;
}
