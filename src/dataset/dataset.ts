import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import { assertFunction, assertInteger, expected } from '../internal/validate.js';
import type { BalanceByRepeatOptions } from './balance-by-repeat-options.js';
import { scanDirectory } from './directory-scan.js';
import type { FromDirectoryOptions } from './from-directory-options.js';
import type { FromManifestOptions } from './from-manifest-options.js';
import { assertNonEmptyString, assertObject } from './init-checks.js';
import { issuesMessage } from './issues-message.js';
import { parseJSONText, readDatasetJSON } from './json-read.js';
import { assertLabelSelector, groupByLabel, labelsOf } from './labels.js';
import { readManifest } from './manifest-read.js';
import { Patient } from './patient.js';
import { assertSeed, resolveParts } from './split-parts.js';
import type { SplitOptions } from './split-options.js';
import { withRepeats } from './repeats.js';
import { randomParts, repeatCounts, stratifiedParts } from './splitting.js';
import type { StratifiedSplitOptions } from './stratified-split-options.js';
import { summarize } from './summary.js';
import type { SummaryOptions } from './summary-options.js';
import type { DatasetJSON, Label, LabelSelector, PatientInit } from './types.js';
import { withDefaults } from './with-defaults.js';

const BALANCE_DEFAULTS = Object.freeze({ seed: 0 });

/**
 * A named, ordered collection of {@link Patient}s with unique ids: what a loader draws from.
 *
 * @remarks
 * A `Dataset` is immutable: it is frozen, its patient array is frozen, and every method that
 * changes something ({@link Dataset.filter}, {@link Dataset.split}, {@link Dataset.balanceByRepeat}…)
 * returns new datasets and leaves this one, and the caller's objects, untouched. Patients keep
 * their order: the order given, the order of the directory listing, or the order of the manifest.
 *
 * Build one from code ({@link Dataset.fromPatients}), a folder ({@link Dataset.fromDirectory}), a
 * CSV or JSON manifest ({@link Dataset.fromManifest}) or its own JSON ({@link Dataset.fromJSON}).
 * Every builder validates its input and reports all problems at once in a {@link DatasetError}.
 *
 * Splits are seeded and exact: the parts are disjoint, cover the dataset, and have sizes that
 * are the floor or the ceiling of their quotas.
 *
 * @example
 * ```ts
 * const dataset = await Dataset.fromManifest('slides/manifest.csv', { recordColumns: { wsi: 'path' } });
 * const [train, val] = dataset.stratifiedSplit({ by: 'label', fractions: [0.8, 0.2], seed: 1 });
 * const balanced = train.balanceByRepeat({ by: 'label', seed: 1 });
 * console.log(balanced.summary());
 * ```
 */
export class Dataset {
  /** Name of the dataset; non-empty. */
  readonly name: string;
  /** The patients, in order; frozen. */
  readonly patients: readonly Patient[];
  readonly #byId: ReadonlyMap<string, Patient>;

  /** Callers guarantee unique ids. */
  private constructor(name: string, patients: readonly Patient[]) {
    this.name = name;
    this.patients = Object.freeze(patients.slice());
    this.#byId = new Map(patients.map((p) => [p.id, p]));
    Object.freeze(this);
  }

  /**
   * A dataset from code: {@link Patient}s or {@link PatientInit} objects.
   *
   * @param name - Name of the dataset; non-empty.
   * @param patients - The patients, in order. The array and the objects in it are not kept or
   *   changed.
   * @returns The dataset.
   * @throws `TypeError` / `RangeError` if `name` is not a non-empty string or a patient init is
   *   malformed (as the {@link Patient} constructor does).
   * @throws {@link DatasetError} if ids repeat; each issue names the `entry` (index in
   *   `patients`) of a repeat and the entry where the id was first seen.
   * @example
   * ```ts
   * const dataset = Dataset.fromPatients('demo', [
   *   { id: 'p1', metadata: { label: 'tumor' }, records: [{ name: 'wsi', path: '/data/p1.tif' }] },
   *   { id: 'p2', metadata: { label: 'normal' }, records: [{ name: 'wsi', path: '/data/p2.tif' }] },
   * ]);
   * ```
   */
  static fromPatients(name: string, patients: readonly (Patient | PatientInit)[]): Dataset {
    assertNonEmptyString('name', name);
    const given: unknown = patients;
    if (!Array.isArray(given)) throw new TypeError(expected('patients', 'an array', given));
    const built = patients.map((p) => (p instanceof Patient ? p : new Patient(p)));
    const firstEntry = new Map<string, number>();
    const issues: DatasetIssue[] = [];
    built.forEach((p, entry) => {
      const first = firstEntry.get(p.id);
      if (first === undefined) firstEntry.set(p.id, entry);
      else {
        const message = `Duplicate patient id ${JSON.stringify(p.id)} (first at entry ${first})`;
        issues.push({ message, entry, patient: p.id });
      }
    });
    if (issues.length > 0) {
      throw new DatasetError(
        issuesMessage(`Duplicate patient ids in ${JSON.stringify(name)}`, issues),
        issues,
      );
    }
    return new Dataset(name, built);
  }

  /**
   * Reads a dataset back from its JSON form ({@link Dataset.toJSON}), checking every field.
   *
   * @param json - A {@link DatasetJSON} object, or a string holding one.
   * @returns The dataset. Record paths are taken as they are (no file is touched).
   * @throws {@link DatasetError} listing every problem; issues inside a patient carry its
   *   `entry` (index in `patients`) and a path such as `patients[3].records[0].path`.
   * @example
   * ```ts
   * const copy = Dataset.fromJSON(JSON.stringify(dataset));
   * ```
   */
  static fromJSON(json: unknown): Dataset {
    const issues: DatasetIssue[] = [];
    const read = readDatasetJSON(parseJSONText(json, issues), issues);
    if (read === undefined || issues.length > 0) {
      throw new DatasetError(issuesMessage('Invalid dataset JSON', issues), issues);
    }
    return new Dataset(
      read.name,
      read.patients.map((p) => new Patient(p)),
    );
  }

  /**
   * A dataset from the files of a folder: one patient per file, or files grouped into patients
   * by a function.
   *
   * @remarks
   * The folder is walked recursively (symbolic links to files are followed, to folders are
   * not); files whose path relative to `dir` matches `pattern` (and not `ignore`) are taken in
   * code-point order of their relative paths, so the result does not depend on the file system.
   * Without `group`, each file is one patient whose id is its relative path without the
   * extension (`tumor/p7.tif` → `tumor/p7`) and whose one record is named `recordName`. Record
   * paths are absolute.
   *
   * Aborting `signal` stops the walk between two folder reads and rejects with `signal.reason`.
   *
   * @param dir - The folder.
   * @param options - Pattern, grouping, naming and cancellation; see {@link FromDirectoryOptions}.
   * @returns The dataset, patients in order of their first file.
   * @throws `TypeError` / `RangeError` for invalid options.
   * @throws {@link DatasetError} if the folder cannot be read, no file matches, or files collide
   *   (two files for one record of one patient, files of one patient disagreeing on metadata,
   *   a `group` result without a patient id); every problem is listed, with its `path`.
   * @example
   * ```ts
   * // slides/tumor/p1.tif, slides/normal/p2.tif … → label from the folder name
   * const dataset = await Dataset.fromDirectory('slides', {
   *   pattern: '{tumor,normal}/*.tif',
   *   group: (file) => ({
   *     patientId: file.slice(file.indexOf('/') + 1, -'.tif'.length),
   *     recordName: 'wsi',
   *     metadata: { label: file.slice(0, file.indexOf('/')) },
   *   }),
   * });
   * ```
   */
  static async fromDirectory(dir: string, options?: FromDirectoryOptions): Promise<Dataset> {
    const { name, patients } = await scanDirectory(dir, options);
    return new Dataset(name, patients);
  }

  /**
   * A dataset from a CSV or JSON manifest: one row (CSV) or entry (JSON array of objects) per
   * patient, with an id column, record path columns and metadata columns.
   *
   * @remarks
   * Record paths are resolved against the manifest's folder and stored absolute; they must stay
   * inside that folder unless `allowOutside` is set (the check is lexical: `..` segments and
   * absolute paths). An empty (or, in JSON, `null` or absent) path means the patient has no such
   * record. Every record file is checked with `fs.stat` up front, in parallel but at most
   * `fileCheckConcurrency` at a time.
   *
   * CSV: RFC 4180 quoting, a UTF-8 BOM is skipped, CRLF or LF line ends, blank lines skipped,
   * unquoted whitespace around a field trimmed; the first line is the header. Values are strings
   * unless `cast` is set. JSON: values keep their JSON types.
   *
   * Aborting `signal` stops reading and checking and rejects with `signal.reason`.
   *
   * @param path - The manifest file (`.csv`, `.tsv` or `.json`; others are sniffed).
   * @param options - Columns, format and checks; see {@link FromManifestOptions}.
   * @returns The dataset, patients in manifest order.
   * @throws `TypeError` / `RangeError` for invalid options.
   * @throws {@link DatasetError} listing every problem at once, each with its `line` (CSV,
   *   1-based, the header is line 1) or `entry` (JSON, 0-based index): malformed CSV or JSON,
   *   unknown columns, empty or duplicate patient ids, paths escaping the folder, missing files.
   * @example
   * ```ts
   * // manifest.csv:  id,label,slide
   * //                p1,tumor,slides/p1.tif
   * const dataset = await Dataset.fromManifest('data/manifest.csv', {
   *   recordColumns: { wsi: 'slide' },
   *   metadataColumns: ['label'],
   * });
   * ```
   */
  static async fromManifest(path: string, options?: FromManifestOptions): Promise<Dataset> {
    const { name, patients } = await readManifest(path, options);
    return new Dataset(name, patients);
  }

  /** The number of patients. */
  get size(): number {
    return this.patients.length;
  }

  /** The patient ids, in order. */
  get ids(): readonly string[] {
    return this.patients.map((p) => p.id);
  }

  /**
   * Iterates over the patients, in order.
   *
   * @returns An iterator of the patients.
   */
  [Symbol.iterator](): Iterator<Patient> {
    return this.patients[Symbol.iterator]();
  }

  /**
   * The patient with this id.
   *
   * @param id - The patient's id.
   * @returns The patient.
   * @throws {@link DatasetError} naming the dataset and the id (`context.patient` is set).
   * @example
   * ```ts
   * const wsi = dataset.patient('p1').record('wsi');
   * ```
   */
  patient(id: string): Patient {
    const found = this.#byId.get(id);
    if (found !== undefined) return found;
    const message = `Dataset ${JSON.stringify(this.name)} has no patient ${JSON.stringify(id)}`;
    throw new DatasetError('No such patient', [{ message, patient: id }], { patient: id });
  }

  /**
   * Whether a patient has this id.
   *
   * @param id - The id.
   * @returns `true` if {@link Dataset.patient} would find it.
   * @example
   * ```ts
   * if (!dataset.hasPatient('p9')) console.warn('p9 is not in', dataset.name);
   * ```
   */
  hasPatient(id: string): boolean {
    return this.#byId.has(id);
  }

  /**
   * The patients that satisfy `predicate`, as a new dataset of the same name (order kept).
   *
   * @param predicate - Called with each patient and its index.
   * @returns A new dataset.
   * @throws `TypeError` if `predicate` is not a function.
   * @example
   * ```ts
   * const withMask = dataset.filter((p) => p.hasRecord('mask'));
   * ```
   */
  filter(predicate: (patient: Patient, index: number) => boolean): Dataset {
    assertFunction('predicate', predicate);
    return new Dataset(this.name, this.patients.filter(predicate));
  }

  /**
   * The same patients under another name.
   *
   * @param name - The new name; non-empty.
   * @returns A new dataset.
   * @throws `TypeError` / `RangeError` if `name` is not a non-empty string.
   * @example
   * ```ts
   * const external = dataset.withName('external-test');
   * ```
   */
  withName(name: string): Dataset {
    return new Dataset(assertNonEmptyString('name', name), this.patients);
  }

  /**
   * The number of patients per label, labels in order of first appearance.
   *
   * @param by - A metadata key or a function of the patient; see {@link LabelSelector}.
   * @returns A new map from label to count.
   * @throws `TypeError` if `by` is neither a non-empty string nor a function.
   * @throws {@link DatasetError} listing every patient without a usable label (with `entry`).
   * @example
   * ```ts
   * dataset.countBy('label'); // Map { 'tumor' => 40, 'normal' => 80 }
   * ```
   */
  countBy(by: LabelSelector): ReadonlyMap<Label, number> {
    assertLabelSelector('by', by);
    const counts = new Map<Label, number>();
    for (const label of labelsOf(this.patients, by))
      counts.set(label, (counts.get(label) ?? 0) + 1);
    return counts;
  }

  /**
   * Splits the patients at random into disjoint parts of exact sizes.
   *
   * @remarks
   * Sizes come from the largest-remainder method: they sum to {@link Dataset.size} and each is
   * the floor or the ceiling of `size × fraction`; they depend only on the size and the
   * fractions. Which patient goes where depends only on `seed` and the patients' order. Within a
   * part, patients keep the dataset's order.
   *
   * @param options - Fractions or percentages, seed and names; see {@link SplitOptions}.
   * @returns One dataset per part, named `` `${name}/${partName}` ``.
   * @throws `TypeError` / `RangeError` for invalid options (message shape
   *   ``Expected `fractions` to be an array of numbers ≥ 0 summing to 1, got `[0.5,0.6]` (array)``).
   * @example
   * ```ts
   * const [train, val, test] = dataset.split({ percentages: [70, 15, 15], seed: 42 });
   * ```
   */
  split(options: SplitOptions): Dataset[] {
    const { weights, names } = resolveParts(options);
    const parts = randomParts(this.patients.length, weights, options.seed);
    return this.#parts(parts, names);
  }

  /**
   * Splits the patients at random into disjoint parts, each label split in proportion.
   *
   * @remarks
   * For a class of `n` patients, each part receives the floor or the ceiling of
   * `n × fraction`; each part's total is likewise the floor or the ceiling of
   * `size × fraction`, and the parts cover the dataset exactly. When a class cannot be divided
   * evenly, parts with the larger fractional quota are favoured, ties broken by `seed`. Within a
   * part, patients keep the dataset's order.
   *
   * @param options - Label, fractions or percentages, seed and names; see
   *   {@link StratifiedSplitOptions}.
   * @returns One dataset per part, named `` `${name}/${partName}` ``.
   * @throws `TypeError` / `RangeError` for invalid options.
   * @throws {@link DatasetError} listing every patient without a usable label (with `entry`).
   * @example
   * ```ts
   * const [train, test] = dataset.stratifiedSplit({ by: 'label', fractions: [0.8, 0.2], seed: 1, names: ['train', 'test'] });
   * ```
   */
  stratifiedSplit(options: StratifiedSplitOptions): Dataset[] {
    assertObject('options', options);
    const by = assertLabelSelector('by', options.by);
    const { weights, names } = resolveParts(options);
    const labels = labelsOf(this.patients, by);
    return this.#parts(stratifiedParts(labels, weights, options.seed), names);
  }

  /**
   * Oversamples the smaller classes by repeating their patients until every class has
   * `targetPerClass` patients (by default, as many as the largest class), as PyDmed's
   * `balance_by_repeat` does.
   *
   * @remarks
   * Within a class of `n` patients, every patient appears `⌊target / n⌋` times and
   * `target mod n` of them, chosen with `seed`, once more; so each class totals exactly
   * `target`. The original patient is kept as it is; its repeats follow it and are new patients
   * with the id `` `${originalId}#r${k}` `` (`k` = 1, 2, …, the first indices not already taken),
   * the same records, and the metadata key `repeatOf` set to the original's id
   * ({@link Patient.originalId} reads it; balancing a balanced dataset again still points at the
   * first original). Keep a patient and its repeats in the same split: balance the training part
   * after splitting, not before.
   *
   * @param options - Label, target and seed; see {@link BalanceByRepeatOptions}.
   * @returns A new dataset of the same name.
   * @throws `TypeError` / `RangeError` for invalid options, or a `targetPerClass` below the
   *   largest class.
   * @throws {@link DatasetError} listing every patient without a usable label.
   * @example
   * ```ts
   * // 2 tumor + 4 normal → 4 tumor (p1, p1#r1, p2, p2#r1) + 4 normal
   * const balanced = train.balanceByRepeat({ by: 'label' });
   * ```
   */
  balanceByRepeat(options: BalanceByRepeatOptions): Dataset {
    assertObject('options', options);
    const opts = withDefaults(BALANCE_DEFAULTS, options);
    const by = assertLabelSelector('by', opts.by);
    const seed = assertSeed('seed', opts.seed);
    const labels = labelsOf(this.patients, by);
    let largest = 0;
    for (const members of groupByLabel(labels).values())
      largest = Math.max(largest, members.length);
    const target =
      opts.targetPerClass === undefined
        ? largest
        : assertInteger('targetPerClass', opts.targetPerClass, largest);
    const out = withRepeats(this.patients, repeatCounts(labels, target, seed));
    return Dataset.fromPatients(this.name, out);
  }

  /**
   * A readable, multi-line description: name, patient and record counts, record names, and
   * patients per label.
   *
   * @param options - The label to count by; see {@link SummaryOptions}.
   * @returns The description, e.g.
   *   `Dataset "train": 6 patients, 6 records (wsi: 6)\n  label: tumor 2 (33.3%), normal 4 (66.7%)`.
   * @example
   * ```ts
   * console.log(dataset.summary({ by: 'label' }));
   * ```
   */
  summary(options?: SummaryOptions): string {
    const by = options?.by;
    if (by !== undefined) assertLabelSelector('by', by);
    return summarize(this.name, this.patients, by);
  }

  /**
   * The first line of {@link Dataset.summary}.
   *
   * @returns E.g. `Dataset "train": 6 patients, 6 records (wsi: 6)`.
   */
  toString(): string {
    return summarize(this.name, this.patients, undefined).split('\n')[0] as string;
  }

  /**
   * The dataset as plain JSON; `JSON.stringify(dataset)` uses it.
   *
   * @returns A plain object that {@link Dataset.fromJSON} turns back into an equal dataset.
   * @example
   * ```ts
   * await fs.writeFile('dataset.json', JSON.stringify(dataset, null, 2));
   * ```
   */
  toJSON(): DatasetJSON {
    return { version: 1, name: this.name, patients: this.patients.map((p) => p.toJSON()) };
  }

  #parts(parts: readonly (readonly number[])[], names: readonly string[]): Dataset[] {
    return parts.map(
      (indices, i) =>
        new Dataset(
          `${this.name}/${names[i] as string}`,
          indices.map((j) => this.patients[j] as Patient),
        ),
    );
  }
}
