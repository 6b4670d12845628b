/**
 * What a failed load or collector does: the tenure ends, the patient backs off, or is set aside,
 * or (`onExhausted: 'fail'`) the whole scheduler closes.
 *
 * @internal
 */
import type { FailureInfo } from '../failure-info.js';
import type { Draft } from './draft.js';
import { closeAll } from './shutdown.js';
import { endTenure } from './tenures.js';

/** Records a failure of the tenant of `slot`: ends its tenure, backs it off or gives up. */
export function failTenant(
  d: Draft,
  slot: number,
  source: 'loader' | 'collector',
  cause: FailureInfo,
): void {
  const s = d.slot(slot);
  const id = s.patient as string;
  const before = d.patient(id);
  const failures = before.consecutiveFailures + 1;
  endTenure(d, slot, 'failure');
  if (source === 'loader') d.counters.loadsFailed++;
  else d.counters.collectorsFailed++;
  const { maxConsecutiveFailures, backoffMs, backoffFactor, maxBackoffMs, onExhausted } =
    d.config.failure;
  const base = {
    type: 'error',
    source,
    patient: id,
    slot,
    tenure: s.tenure,
    attempt: failures,
    cause,
  } as const;
  if (failures < maxConsecutiveFailures) {
    const retryAt = d.now + Math.min(maxBackoffMs, backoffMs * backoffFactor ** (failures - 1));
    d.setPatient(id, { consecutiveFailures: failures, failures: before.failures + 1, retryAt });
    d.emit({ ...base, retryAt });
    return;
  }
  d.setPatient(id, {
    consecutiveFailures: failures,
    failures: before.failures + 1,
    retryAt: Infinity,
    setAside: onExhausted === 'set-aside',
  });
  d.emit({ ...base, retryAt: undefined });
  if (onExhausted === 'fail') {
    d.emit({ type: 'fatal', patient: id, failures, cause });
    closeAll(d, 'fatal');
    return;
  }
  d.counters.setAside++;
  d.emit({ type: 'setAside', patient: id, failures, cause });
}
