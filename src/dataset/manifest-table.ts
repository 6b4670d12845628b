/**
 * The common shape CSV and JSON manifests are read into before patients are built.
 *
 * @internal
 * @module
 */

/** Where a row is: a CSV line (1-based, header = 1) or a JSON entry (0-based index). */
export type RowPlace = { readonly line: number } | { readonly entry: number };

/** One row (CSV) or entry (JSON): its place and its values by column. */
export interface ManifestRow {
  readonly place: RowPlace;
  /** CSV: every header column, as a string. JSON: the entry's own keys, as JSON values. */
  readonly values: ReadonlyMap<string, unknown>;
}

/** A parsed manifest: its columns (CSV header, or the union of JSON keys) and its rows. */
export interface ManifestTable {
  readonly kind: 'csv' | 'json';
  readonly columns: readonly string[];
  readonly rows: readonly ManifestRow[];
}
