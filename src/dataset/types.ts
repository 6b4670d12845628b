/**
 * The value types of the dataset tier: metadata, labels, constructor inputs and JSON shapes.
 *
 * @module
 */
import type { Patient } from './patient.js';
import type { Record as PatientRecord } from './record.js';

/**
 * A JSON value that may be stored as metadata: a string, a finite number, a boolean, `null`, or
 * an array or plain object of those. Stored metadata is deeply frozen.
 *
 * @example
 * ```ts
 * const value: MetadataValue = { stain: 'H&E', mpp: [0.25, 0.25], scanned: true };
 * ```
 */
export type MetadataValue =
  | string
  | number
  | boolean
  | null
  | readonly MetadataValue[]
  | { readonly [key: string]: MetadataValue };

/**
 * Metadata of a patient or a record: a plain object of JSON values (labels, scanner, stain,
 * magnification…), deeply frozen once stored.
 *
 * @example
 * ```ts
 * const metadata: Metadata = { label: 'tumor', age: 61 };
 * ```
 */
export interface Metadata {
  readonly [key: string]: MetadataValue;
}

/**
 * A class label, as used by {@link Dataset.stratifiedSplit}, {@link Dataset.balanceByRepeat} and
 * {@link Dataset.countBy}: a primitive metadata value, compared with `SameValueZero` (so the
 * string `'1'` and the number `1` are different classes).
 *
 * @example
 * ```ts
 * const label: Label = 'tumor';
 * ```
 */
export type Label = string | number | boolean | null;

/**
 * How to find a patient's label: the name of a metadata key, or a function of the patient.
 *
 * @remarks
 * With a key, every patient must hold a primitive value ({@link Label}) under that key;
 * patients without one are reported all at once in a `DatasetError`. A function must return a
 * {@link Label}.
 *
 * @example
 * ```ts
 * const byKey: LabelSelector = 'label';
 * const byFn: LabelSelector = (p) => (Number(p.metadata['age']) >= 60 ? 'older' : 'younger');
 * ```
 */
export type LabelSelector = string | ((patient: Patient) => Label);

/**
 * What a {@link Record} is made from.
 *
 * @example
 * ```ts
 * const init: RecordInit = { name: 'wsi', path: '/data/slides/p1.tif', metadata: { stain: 'H&E' } };
 * ```
 */
export interface RecordInit {
  /** Name of the record within its patient (`'wsi'`, `'mask'`…); non-empty. */
  readonly name: string;
  /** Path of the file; non-empty. Relative paths are resolved by whoever opens the file. */
  readonly path: string;
  /**
   * The record's own metadata (magnification, scanner…).
   *
   * @defaultValue `{}`
   */
  readonly metadata?: Metadata;
}

/**
 * What a {@link Patient} is made from. Records may be given as {@link Record} instances or as
 * {@link RecordInit} objects.
 *
 * @example
 * ```ts
 * const init: PatientInit = {
 *   id: 'p1',
 *   metadata: { label: 'tumor' },
 *   records: [{ name: 'wsi', path: '/data/p1.tif' }],
 * };
 * ```
 */
export interface PatientInit {
  /** Stable unique id of the patient; non-empty. */
  readonly id: string;
  /**
   * The patient's metadata (labels, clinical variables…).
   *
   * @defaultValue `{}`
   */
  readonly metadata?: Metadata;
  /**
   * The patient's records, with distinct names, in a meaningful order (kept as given).
   *
   * @defaultValue `[]`
   */
  readonly records?: readonly (PatientRecord | RecordInit)[];
}

/**
 * The JSON form of a {@link Record}, as produced by {@link Record.toJSON}.
 *
 * @example
 * ```ts
 * const json: RecordJSON = { name: 'wsi', path: '/data/p1.tif', metadata: {} };
 * ```
 */
export interface RecordJSON {
  /** The record's name. */
  readonly name: string;
  /** The file's path. */
  readonly path: string;
  /** The record's metadata. */
  readonly metadata: Metadata;
}

/**
 * The JSON form of a {@link Patient}, as produced by {@link Patient.toJSON}. Records are an
 * array (not an object keyed by name) so that their order survives any JSON implementation.
 *
 * @example
 * ```ts
 * const json: PatientJSON = { id: 'p1', metadata: { label: 'tumor' }, records: [] };
 * ```
 */
export interface PatientJSON {
  /** The patient's id. */
  readonly id: string;
  /** The patient's metadata. */
  readonly metadata: Metadata;
  /** The patient's records, in order. */
  readonly records: readonly RecordJSON[];
}

/**
 * The JSON form of a {@link Dataset}, as produced by {@link Dataset.toJSON} and read back by
 * {@link Dataset.fromJSON}.
 *
 * @example
 * ```ts
 * const json: DatasetJSON = { version: 1, name: 'empty', patients: [] };
 * ```
 */
export interface DatasetJSON {
  /** Version of this JSON format; `1`. */
  readonly version: 1;
  /** The dataset's name. */
  readonly name: string;
  /** The patients, in order. */
  readonly patients: readonly PatientJSON[];
}

/**
 * What the `group` function of {@link FromDirectoryOptions} says about one file: which patient
 * it belongs to and under which record name.
 *
 * @example
 * ```ts
 * // "tumor/p7_HE.tif" → patient "p7", record "HE", label "tumor"
 * const group: DirectoryFileGroup = { patientId: 'p7', recordName: 'HE', metadata: { label: 'tumor' } };
 * ```
 */
export interface DirectoryFileGroup {
  /** Id of the patient the file belongs to; non-empty. */
  readonly patientId: string;
  /**
   * Name of the record the file becomes.
   *
   * @defaultValue the `recordName` option of {@link FromDirectoryOptions}
   */
  readonly recordName?: string;
  /**
   * Metadata merged into the patient's. Files of one patient must agree on every key they set.
   *
   * @defaultValue `{}`
   */
  readonly metadata?: Metadata;
  /**
   * The record's own metadata.
   *
   * @defaultValue `{}`
   */
  readonly recordMetadata?: Metadata;
}
