import type { DirectoryFileGroup } from './types.js';

/**
 * Options of {@link Dataset.fromDirectory}.
 *
 * @example
 * ```ts
 * const options: FromDirectoryOptions = { pattern: 'slides/*.tif', recordName: 'wsi', signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface FromDirectoryOptions {
  /**
   * Name of the dataset; non-empty.
   *
   * @defaultValue the folder's base name
   */
  readonly name?: string;
  /**
   * Glob(s) (picomatch syntax) matched against each file's path relative to the folder, with
   * `/` separators; a file matching any of them is taken. Dot files match only if the pattern
   * names the dot explicitly. Matching is case-sensitive.
   *
   * @defaultValue image files at any depth: extensions `tif`, `tiff`, `svs`, `ndpi`, `png`,
   *   `jpg`, `jpeg`, `webp`, in lower or upper case
   */
  readonly pattern?: string | readonly string[];
  /**
   * Glob(s) of relative paths to leave out, even if `pattern` matches them.
   *
   * @defaultValue `[]`
   */
  readonly ignore?: string | readonly string[];
  /**
   * Maps a file's relative path to the patient and record it belongs to, or `undefined` /
   * `null` to skip the file. Called once per matching file, in path order.
   *
   * @defaultValue one patient per file: id = relative path without its extension, record
   *   named `recordName`
   */
  readonly group?: (relativePath: string) => DirectoryFileGroup | null | undefined;
  /**
   * Name of the record each file becomes, unless `group` names it.
   *
   * @defaultValue `'image'`
   */
  readonly recordName?: string;
  /**
   * Aborts the walk: it stops before the next folder read and the promise rejects with
   * `signal.reason`.
   *
   * @defaultValue none
   */
  readonly signal?: AbortSignal;
}
