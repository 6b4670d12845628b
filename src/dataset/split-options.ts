/**
 * Options of {@link Dataset.split}: the sizes of the parts (as fractions or as percentages), the
 * seed, and optional part names.
 *
 * @remarks
 * Give exactly one of `fractions` and `percentages`. Part sizes are exact: the largest-remainder
 * method turns the quotas into integers that sum to the dataset's size, each the floor or the
 * ceiling of its quota.
 *
 * @example
 * ```ts
 * const options: SplitOptions = { fractions: [0.7, 0.15, 0.15], seed: 42, names: ['train', 'val', 'test'] };
 * const [train, val, test] = dataset.split(options);
 * ```
 */
export interface SplitOptions {
  /**
   * The fraction of the patients in each part: numbers ≥ 0 summing to 1 (within 1e-6). Give this
   * or `percentages`.
   *
   * @defaultValue none
   */
  readonly fractions?: readonly number[];
  /**
   * The percentage of the patients in each part: numbers ≥ 0 summing to 100 (within 1e-4).
   * Give this or `fractions`.
   *
   * @defaultValue none
   */
  readonly percentages?: readonly number[];
  /**
   * Seed of the random assignment: any finite number (integers in the 32-bit range are used as
   * they are, other numbers are hashed). The same seed on the same dataset gives the same parts.
   */
  readonly seed: number;
  /**
   * Names of the parts, one per fraction, distinct and non-empty. Part `i` is named
   * `` `${dataset.name}/${names[i]}` ``.
   *
   * @defaultValue `['0', '1', …]`
   */
  readonly names?: readonly string[];
}
