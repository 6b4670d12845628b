/**
 * The scheduling core of LightDL: a pure state machine that decides which patients are active,
 * when to swap them, how much each collector may produce, how small chunks are merged and
 * delivered, and what happens on failure. An I/O shell drives it with events and executes the
 * commands it returns.
 *
 * @packageDocumentation
 */

// ── LightDL ──
export { LightDL } from './light-dl.js';
export type { LightDLOptions } from './light-dl-options.js';
export type { LightDLStats } from './light-dl-stats.js';
export type { Batch } from './batch.js';
export type { LoadedBigChunk } from './loaded-big-chunk.js';
export { collateBatch } from './collate-batch.js';

// ── state machine ──
export { initialState } from './initial-state.js';
export { step } from './step.js';
export type { StepResult } from './step.js';
export { SCHEDULER_DEFAULTS } from './scheduler-defaults.js';

// ── configuration ──
export type { SchedulerConfig, SchedulerPatient, FailurePolicy } from './scheduler-config.js';
export type { ResolvedSchedulerConfig } from './resolved-scheduler-config.js';
export type {
  SchedulerPolicy,
  CustomSchedulerPolicy,
  PolicyDecision,
  PolicyView,
  PolicyPatientView,
} from './scheduler-policy.js';

// ── events and commands ──
export type {
  SchedulerEvent,
  SchedulerEventBase,
  SlotEventBase,
  StartEvent,
  TickEvent,
  LoadSucceededEvent,
  LoadFailedEvent,
  WorkerExitedEvent,
  ChunkProducedEvent,
  CollectorFinishedEvent,
  CollectorFailedEvent,
  PullEvent,
  PatientMessageEvent,
  CheckpointEvent,
  SchedulerCloseEvent,
} from './scheduler-event.js';
export type {
  SchedulerCommand,
  LoadCommand,
  GrantCommand,
  StopCommand,
  MergeCommand,
  MergeMove,
  DeliverCommand,
  DeliverMessageCommand,
  ErrorCommand,
  SetAsideCommand,
  IdleCommand,
  ExhaustedCommand,
  FatalCommand,
  ClosedCommand,
} from './scheduler-command.js';
export type { FailureInfo } from './failure-info.js';

// ── state ──
export type {
  SchedulerState,
  SlotState,
  SlotPhase,
  PatientState,
  ChunkRun,
  TenureRef,
  SchedulerCounters,
} from './scheduler-state.js';

// ── queries ──
export { activePatients } from './active-patients.js';
export { waitingPatients } from './waiting-patients.js';
export { eligiblePatients } from './eligible-patients.js';
export { inFlightLoads } from './in-flight-loads.js';
export { nextWakeAt } from './next-wake-at.js';
export { schedulerStats } from './scheduler-stats.js';
export type { SchedulerStats } from './scheduler-stats.js';

// ── PyDmed migration ──
export { fromPyDmedConfig } from './pydmed-options.js';
export type {
  PyDmedMappedOptions,
  PyDmedConversion,
  FromPyDmedConfigOptions,
  CoreAssignment,
} from './pydmed-options.js';
