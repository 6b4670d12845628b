/**
 * Applies the scheduler defaults in one place and validates the result.
 *
 * @internal
 */
import { assertFunction, assertInteger, assertOneOf, expected } from '../../internal/validate.js';
import type { ResolvedSchedulerConfig } from '../resolved-scheduler-config.js';
import type { SchedulerConfig } from '../scheduler-config.js';
import { SCHEDULER_DEFAULTS } from '../scheduler-defaults.js';
import type { SchedulerPolicy } from '../scheduler-policy.js';

const POLICIES = ['pydmed', 'weighted', 'label-balanced', 'round-robin'] as const;

/** Merges `config` over the defaults and validates every field. */
export function resolveConfig(config: SchedulerConfig): ResolvedSchedulerConfig {
  if (config === null || typeof config !== 'object') {
    throw new TypeError(expected('config', 'an object', config));
  }
  const merged = { ...SCHEDULER_DEFAULTS, ...withoutUndefined(config) };
  const failure = { ...SCHEDULER_DEFAULTS.failure, ...withoutUndefined(config.failure ?? {}) };

  const numBigChunkLoaders = assertInteger('numBigChunkLoaders', merged.numBigChunkLoaders, 1);
  const maxLengthQueueSmallChunk = assertInteger(
    'maxLengthQueueSmallChunk',
    merged.maxLengthQueueSmallChunk,
    1,
  );
  const maxLengthQueueLightDL = assertInteger(
    'maxLengthQueueLightDL',
    merged.maxLengthQueueLightDL,
    1,
  );
  const maxInFlight = integerOrInfinity('maxInFlight', merged.maxInFlight);
  const rescheduleIntervalMs = positiveOrInfinity(
    'rescheduleIntervalMs',
    merged.rescheduleIntervalMs,
  );
  const policy = resolvePolicy(merged.policy);
  const onSwap = assertOneOf('onSwap', merged.onSwap, ['drain', 'discard'] as const);
  const maxPendingMessages = assertInteger('maxPendingMessages', merged.maxPendingMessages, 1);
  const seed = finiteAtLeast('seed', merged.seed, -Infinity);

  const backoffMs = finiteAtLeast('failure.backoffMs', failure.backoffMs, 0);
  // An unset maxBackoffMs never undercuts an explicit, larger backoffMs.
  const maxBackoffDefault = Math.max(SCHEDULER_DEFAULTS.failure.maxBackoffMs, backoffMs);
  const resolvedFailure = Object.freeze({
    maxConsecutiveFailures: assertInteger(
      'failure.maxConsecutiveFailures',
      failure.maxConsecutiveFailures,
      1,
    ),
    backoffMs,
    backoffFactor: finiteAtLeast('failure.backoffFactor', failure.backoffFactor, 1),
    maxBackoffMs: finiteAtLeast(
      'failure.maxBackoffMs',
      config.failure?.maxBackoffMs ?? maxBackoffDefault,
      backoffMs,
    ),
    onExhausted: assertOneOf('failure.onExhausted', failure.onExhausted, [
      'set-aside',
      'fail',
    ] as const),
  });

  return Object.freeze({
    patients: resolvePatients(config.patients, policy),
    numBigChunkLoaders,
    maxLengthQueueSmallChunk,
    maxLengthQueueLightDL,
    maxInFlight,
    rescheduleIntervalMs,
    policy,
    onSwap,
    failure: resolvedFailure,
    maxPendingMessages,
    seed,
    grantBatch: Math.ceil(maxLengthQueueSmallChunk / 4),
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(expected('failure', 'an object', value));
  }
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function finiteAtLeast(name: string, value: unknown, min: number): number {
  const what = min === -Infinity ? 'a finite number' : `a finite number ≥ ${min}`;
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (!Number.isFinite(value) || value < min) throw new RangeError(expected(name, what, value));
  return value;
}

function integerOrInfinity(name: string, value: unknown): number {
  if (value === Infinity) return Infinity;
  const what = 'an integer ≥ 1 or Infinity';
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (!Number.isInteger(value) || value < 1) throw new RangeError(expected(name, what, value));
  return value;
}

function positiveOrInfinity(name: string, value: unknown): number {
  const what = 'a number > 0, or Infinity to never swap';
  if (typeof value !== 'number') throw new TypeError(expected(name, what, value));
  if (Number.isNaN(value) || value <= 0) throw new RangeError(expected(name, what, value));
  return value;
}

function resolvePolicy(value: unknown): SchedulerPolicy {
  if (typeof value === 'function') {
    assertFunction('policy', value);
    return value as SchedulerPolicy;
  }
  if (typeof value !== 'string' || !(POLICIES as readonly string[]).includes(value)) {
    const what = `one of ${POLICIES.map((p) => `'${p}'`).join(', ')} or a function`;
    throw new TypeError(expected('policy', what, value));
  }
  return value as SchedulerPolicy;
}

function resolvePatients(
  patients: unknown,
  policy: SchedulerPolicy,
): ResolvedSchedulerConfig['patients'] {
  if (!Array.isArray(patients) || patients.length === 0) {
    throw new TypeError(expected('patients', 'a non-empty array', patients));
  }
  const seen = new Set<string>();
  const list = (patients as readonly unknown[]).map((p, i) => {
    if (p === null || typeof p !== 'object') {
      throw new TypeError(expected(`patients[${i}]`, 'an object with an `id`', p));
    }
    const { id, weight = 1, label } = p as { id?: unknown; weight?: unknown; label?: unknown };
    if (typeof id !== 'string' || id.length === 0) {
      throw new TypeError(expected(`patients[${i}].id`, 'a non-empty string', id));
    }
    if (seen.has(id)) {
      throw new TypeError(expected(`patients[${i}].id`, 'unique among the patients', id));
    }
    seen.add(id);
    const what = 'a finite number > 0';
    if (typeof weight !== 'number') {
      throw new TypeError(expected(`patients[${i}].weight`, what, weight));
    }
    if (!Number.isFinite(weight) || weight <= 0) {
      throw new RangeError(expected(`patients[${i}].weight`, what, weight));
    }
    if (label !== undefined && typeof label !== 'string') {
      throw new TypeError(expected(`patients[${i}].label`, 'a string', label));
    }
    if (policy === 'label-balanced' && label === undefined) {
      throw new TypeError(
        expected(`patients[${i}].label`, "a string (policy 'label-balanced' needs labels)", label),
      );
    }
    return Object.freeze({ id, weight, label });
  });
  return Object.freeze(list);
}
