/**
 * Resolving a {@link LabelSelector} into one label per patient, reporting every patient without
 * a usable label at once.
 *
 * @internal
 * @module
 */
import { DatasetError } from '../errors.js';
import type { DatasetIssue } from '../errors.js';
import { expected } from '../internal/validate.js';
import { issuesMessage } from './issues-message.js';
import type { Patient } from './patient.js';
import type { Label, LabelSelector } from './types.js';

function isLabel(value: unknown): value is Label {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && !Number.isNaN(value))
  );
}

/** Throws a `TypeError` unless `by` is a non-empty metadata key or a function. */
export function assertLabelSelector(name: string, by: unknown): LabelSelector {
  if ((typeof by === 'string' && by.length > 0) || typeof by === 'function') {
    return by as LabelSelector;
  }
  throw new TypeError(expected(name, 'a metadata key or a function of the patient', by));
}

/** How a selector is named in messages: the key in backticks, or "the label function". */
export function describeSelector(by: LabelSelector): string {
  return typeof by === 'string' ? `\`${by}\`` : 'the label function';
}

/**
 * One label per patient, in order.
 *
 * @throws DatasetError listing every patient whose label is missing or not a {@link Label}.
 */
export function labelsOf(patients: readonly Patient[], by: LabelSelector): Label[] {
  const labels: Label[] = [];
  const issues: DatasetIssue[] = [];
  patients.forEach((patient, entry) => {
    const value: unknown = typeof by === 'string' ? patient.metadata[by] : by(patient);
    if (isLabel(value)) {
      labels.push(value);
      return;
    }
    const id = JSON.stringify(patient.id);
    const message =
      typeof by === 'string'
        ? value === undefined
          ? `Patient ${id} has no metadata \`${by}\` to use as its label`
          : expected(`metadata.${by}`, 'a string, number, boolean or null label', value) +
            ` for patient ${id}`
        : expected('label', 'a string, number, boolean or null', value) + ` for patient ${id}`;
    issues.push({ message, entry, patient: patient.id });
  });
  if (issues.length > 0) {
    const title = `No usable label under ${describeSelector(by)} for ${issues.length} of ${patients.length} patients`;
    throw new DatasetError(issuesMessage(title, issues), issues);
  }
  return labels;
}

/** The distinct labels in order of first appearance, each with the indices of its patients. */
export function groupByLabel(labels: readonly Label[]): Map<Label, number[]> {
  const groups = new Map<Label, number[]>();
  labels.forEach((label, index) => {
    const members = groups.get(label);
    if (members === undefined) groups.set(label, [index]);
    else members.push(index);
  });
  return groups;
}
