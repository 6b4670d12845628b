/**
 * The readable description behind `Dataset.summary()`.
 *
 * @internal
 * @module
 */
import type { Patient } from './patient.js';
import type { Label, LabelSelector } from './types.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function showLabel(label: Label | undefined): string {
  if (label === undefined) return '(none)';
  return typeof label === 'string' ? label : String(label);
}

function tolerantLabel(patient: Patient, by: LabelSelector): Label | undefined {
  const value: unknown = typeof by === 'string' ? patient.metadata[by] : by(patient);
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as Label;
  }
  return undefined;
}

/** `Dataset "name": N patients, M records (wsi: N, mask: K)` and, with a label, a line of counts. */
export function summarize(
  name: string,
  patients: readonly Patient[],
  by: LabelSelector | undefined,
): string {
  const perRecord = new Map<string, number>();
  let records = 0;
  for (const p of patients) {
    for (const r of p.records) perRecord.set(r.name, (perRecord.get(r.name) ?? 0) + 1);
    records += p.records.length;
  }
  const recordList = [...perRecord].map(([n, c]) => `${n}: ${c}`).join(', ');
  const lines = [
    `Dataset ${JSON.stringify(name)}: ${plural(patients.length, 'patient')}, ` +
      `${plural(records, 'record')}${recordList === '' ? '' : ` (${recordList})`}`,
  ];
  const labelBy = by ?? (patients.some((p) => 'label' in p.metadata) ? 'label' : undefined);
  if (labelBy !== undefined && patients.length > 0) {
    const counts = new Map<Label | undefined, number>();
    for (const p of patients) {
      const label = tolerantLabel(p, labelBy);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const title = typeof labelBy === 'string' ? labelBy : 'label';
    const parts = [...counts].map(
      ([label, n]) => `${showLabel(label)} ${n} (${((100 * n) / patients.length).toFixed(1)}%)`,
    );
    lines.push(`  ${title}: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}
