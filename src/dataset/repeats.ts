/**
 * Materialising the repeats of `Dataset.balanceByRepeat`: new patients with fresh ids
 * `originalId#rK` and `metadata.repeatOf`, each placed right after the patient it repeats.
 *
 * @internal
 * @module
 */
import type { Patient } from './patient.js';

/**
 * `patients` with patient `i` followed by `counts[i] - 1` repeats. Repeat ids take the first
 * indices `K` not already used by any patient, so balancing a balanced dataset never collides.
 */
export function withRepeats(patients: readonly Patient[], counts: readonly number[]): Patient[] {
  const taken = new Set(patients.map((p) => p.id));
  const nextIndex = new Map<string, number>();
  const out: Patient[] = [];
  patients.forEach((patient, i) => {
    out.push(patient);
    const original = patient.originalId;
    for (let k = 1; k < (counts[i] as number); k++) {
      let index = nextIndex.get(original) ?? 1;
      while (taken.has(`${original}#r${index}`)) index++;
      nextIndex.set(original, index + 1);
      const id = `${original}#r${index}`;
      taken.add(id);
      out.push(patient.with({ id, metadata: { ...patient.metadata, repeatOf: original } }));
    }
  });
  return out;
}
