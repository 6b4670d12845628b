/**
 * The dataset tier: {@link Dataset}, {@link Patient} and {@link Record}, the immutable data model
 * every other tier reads; built from code, a folder or a CSV/JSON manifest; split at random or
 * by label, and oversampled by repeat, always seeded and exact.
 *
 * @packageDocumentation
 */
export { Dataset } from './dataset.js';
export { Patient } from './patient.js';
export { Record } from './record.js';
export type { SplitOptions } from './split-options.js';
export type { StratifiedSplitOptions } from './stratified-split-options.js';
export type { BalanceByRepeatOptions } from './balance-by-repeat-options.js';
export type { SummaryOptions } from './summary-options.js';
export type { FromDirectoryOptions } from './from-directory-options.js';
export type { FromManifestOptions } from './from-manifest-options.js';
export type {
  DatasetJSON,
  DirectoryFileGroup,
  Label,
  LabelSelector,
  Metadata,
  MetadataValue,
  PatientInit,
  PatientJSON,
  RecordInit,
  RecordJSON,
} from './types.js';
