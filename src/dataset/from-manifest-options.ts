/**
 * Options of {@link Dataset.fromManifest}.
 *
 * @remarks
 * A manifest has one row (CSV) or entry (JSON) per patient. Three kinds of columns matter: the
 * id column, the record columns (file paths, relative to the manifest's folder) and the metadata
 * columns (labels and other variables). Naming a column the manifest does not have is reported
 * as a problem, not ignored.
 *
 * @example
 * ```ts
 * const options: FromManifestOptions = {
 *   idColumn: 'patient_id',
 *   recordColumns: { wsi: 'slide_path', mask: 'mask_path' },
 *   metadataColumns: ['label', 'age'],
 *   cast: true,
 * };
 * ```
 */
export interface FromManifestOptions {
  /**
   * Name of the dataset; non-empty.
   *
   * @defaultValue the manifest's file name without its extension
   */
  readonly name?: string;
  /**
   * Format of the manifest. `'auto'` goes by the extension (`.json` → JSON; `.csv`, `.tsv`,
   * `.txt` → CSV), else by the first character (`[` → JSON).
   *
   * @defaultValue `'auto'`
   */
  readonly format?: 'auto' | 'csv' | 'json';
  /**
   * The column holding the patient id. Ids must be non-empty and unique; in JSON they may also
   * be integers (turned into strings).
   *
   * @defaultValue `'id'`
   */
  readonly idColumn?: string;
  /**
   * The columns holding record paths: an array of column names (each record named after its
   * column) or an object mapping record names to column names. Paths are relative to the
   * manifest's folder (absolute paths are allowed only with `allowOutside`); an empty value means
   * the patient has no such record.
   *
   * @defaultValue `['path']`
   */
  readonly recordColumns?: readonly string[] | { readonly [recordName: string]: string };
  /**
   * The columns copied into each patient's metadata: an array of column names, or `'rest'` for
   * every column other than the id and record columns. In JSON, an entry lacking a metadata
   * column simply lacks that key.
   *
   * @defaultValue `'rest'`
   */
  readonly metadataColumns?: readonly string[] | 'rest';
  /**
   * CSV field delimiter. `'auto'` is a tab for `.tsv` files and a comma otherwise.
   *
   * @defaultValue `'auto'`
   */
  readonly delimiter?: string;
  /**
   * Whether CSV metadata values are converted: numbers (`12`, `-0.5`, `1e3`) to numbers,
   * `true`/`false` to booleans and empty fields to `null`. Ids and paths stay strings; JSON
   * values keep their own types.
   *
   * @defaultValue `false`
   */
  readonly cast?: boolean;
  /**
   * Whether record paths may point outside the manifest's folder (`../other/x.tif`,
   * `/abs/x.tif`).
   *
   * @defaultValue `false`
   */
  readonly allowOutside?: boolean;
  /**
   * Whether every record file is checked to exist (as a regular file) before the dataset is
   * returned.
   *
   * @defaultValue `true`
   */
  readonly checkFiles?: boolean;
  /**
   * How many `fs.stat` calls may run at once while checking files: an integer from 1 to 1024.
   *
   * @defaultValue `16`
   */
  readonly fileCheckConcurrency?: number;
  /**
   * Aborts reading and checking; the promise rejects with `signal.reason`.
   *
   * @defaultValue none
   */
  readonly signal?: AbortSignal;
}
