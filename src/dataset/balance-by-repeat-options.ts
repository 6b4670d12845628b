import type { LabelSelector } from './types.js';

/**
 * Options of {@link Dataset.balanceByRepeat}.
 *
 * @example
 * ```ts
 * const options: BalanceByRepeatOptions = { by: 'label', seed: 3 };
 * const balanced = train.balanceByRepeat(options);
 * ```
 */
export interface BalanceByRepeatOptions {
  /**
   * The label: a metadata key every patient has a primitive value under, or a function of the
   * patient returning a {@link Label}.
   */
  readonly by: LabelSelector;
  /**
   * The number of patients every class is brought to, counting repeats: an integer at least the
   * size of the largest class.
   *
   * @defaultValue the size of the largest class
   */
  readonly targetPerClass?: number;
  /**
   * Seed choosing which patients of a class get one repeat more than the others when the target
   * is not a multiple of the class size: any finite number.
   *
   * @defaultValue `0`
   */
  readonly seed?: number;
}
