import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import { assertNonEmptyString, assertObject, checkedMetadata } from './init-checks.js';
import { issuesMessage } from './issues-message.js';
import { parseJSONText, readRecordJSON } from './json-read.js';
import type { Metadata, RecordInit, RecordJSON } from './types.js';

/**
 * One named file of a patient (a slide, a mask, a second stain), with its own metadata.
 *
 * @remarks
 * A `Record` is immutable: it is frozen, its metadata is deeply frozen, and {@link Record.with}
 * returns a new record. It serialises to plain JSON ({@link Record.toJSON}) and back
 * ({@link Record.fromJSON}).
 *
 * The class name shadows TypeScript's built-in `Record<K, V>` utility type in any module that
 * imports it. Import it under another name where both are needed:
 * `import { Record as PatientRecord } from 'lightdl'`.
 *
 * @example
 * ```ts
 * import { Record as PatientRecord } from 'lightdl';
 *
 * const wsi = new PatientRecord({ name: 'wsi', path: '/data/p1.tif', metadata: { mpp: 0.25 } });
 * const moved = wsi.with({ path: '/mnt/p1.tif' }); // wsi itself is unchanged
 * ```
 */
export class Record {
  /** Name of the record within its patient, e.g. `'wsi'`; non-empty. */
  readonly name: string;
  /** Path of the file; absolute when the record comes from a directory or a manifest. */
  readonly path: string;
  /** The record's own metadata, deeply frozen. */
  readonly metadata: Metadata;

  /**
   * Creates a record. The metadata is checked and copied; the caller's object is left as is.
   *
   * @param init - Name, path and optional metadata.
   * @throws `TypeError` / `RangeError` if `name` or `path` is not a non-empty string, or if
   *   `metadata` is not a plain object of JSON values (finite numbers, strings, booleans, `null`,
   *   arrays, plain objects).
   */
  constructor(init: RecordInit) {
    assertObject('init', init);
    this.name = assertNonEmptyString('name', init.name);
    this.path = assertNonEmptyString('path', init.path);
    this.metadata = checkedMetadata('metadata', init.metadata);
    Object.freeze(this);
  }

  /**
   * A copy of this record with some fields replaced (metadata is replaced, not merged).
   *
   * @param changes - The fields to replace.
   * @returns A new record; this one is unchanged.
   * @throws `TypeError` / `RangeError` as the constructor does.
   * @example
   * ```ts
   * const relabelled = record.with({ metadata: { ...record.metadata, stain: 'IHC' } });
   * ```
   */
  with(changes: Partial<RecordInit>): Record {
    return new Record({
      name: changes.name ?? this.name,
      path: changes.path ?? this.path,
      metadata: changes.metadata ?? this.metadata,
    });
  }

  /**
   * The record as plain JSON; `JSON.stringify(record)` uses it.
   *
   * @returns A plain object that {@link Record.fromJSON} turns back into an equal record.
   * @example
   * ```ts
   * const json = JSON.stringify(record); // '{"name":"wsi","path":"/data/p1.tif","metadata":{}}'
   * ```
   */
  toJSON(): RecordJSON {
    return { name: this.name, path: this.path, metadata: this.metadata };
  }

  /**
   * Reads a record back from its JSON form, checking every field.
   *
   * @param json - A {@link RecordJSON} object, or a string holding one.
   * @returns The record.
   * @throws {@link DatasetError} listing every problem, each with a path such as
   *   ``Expected `path` to be a non-empty string, got `12` (number)``.
   * @example
   * ```ts
   * const copy = Record.fromJSON(JSON.parse(JSON.stringify(record)));
   * ```
   */
  static fromJSON(json: unknown): Record {
    const issues: DatasetIssue[] = [];
    const init = readRecordJSON(parseJSONText(json, issues), '', issues, {});
    if (init === undefined || issues.length > 0) {
      throw new DatasetError(issuesMessage('Invalid record JSON', issues), issues);
    }
    return new Record(init);
  }
}
