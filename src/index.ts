/**
 * lightdl: stream training samples out of images far too big to load (gigapixel whole-slide
 * TIFFs, satellite scenes) into a training loop, with memory bounded by configuration and
 * failures reported, never hung on.
 *
 * The tiers, bottom up: the {@link Dataset} model; image readers ({@link openImage});
 * the {@link JobExecutor} worker pool; backpressure operators over RxJS ({@link Flowable});
 * big-chunk loaders and small-chunk collectors; and {@link LightDL}, which schedules them.
 *
 * @packageDocumentation
 */

// ── errors ──
export {
  LightdlError,
  JobFailedError,
  WorkerExitedError,
  WorkerOutOfMemoryError,
  JobTimeoutError,
  ExecutorClosedError,
  SessionResetError,
  WorkerModuleError,
  QueueOverflowError,
  DatasetError,
  ImageError,
  LoaderError,
  CollectorError,
  PatientSetAsideError,
  PatientsExhaustedError,
  PlatformUnsupportedError,
} from './errors.js';
export type {
  ErrorContext,
  RegionRef,
  LightdlErrorCode,
  DatasetIssue,
  ImageErrorCode,
} from './errors.js';

// ── dataset ──
export { Dataset, Patient, Record } from './dataset/index.js';
export type {
  SplitOptions,
  StratifiedSplitOptions,
  BalanceByRepeatOptions,
  SummaryOptions,
  FromDirectoryOptions,
  FromManifestOptions,
  DatasetJSON,
  DirectoryFileGroup,
  Label,
  LabelSelector,
  Metadata,
  MetadataValue,
  PatientInit,
  PatientJSON,
  RecordInit,
  RecordJSON,
} from './dataset/index.js';

// ── readers ──
export { openImage, makeSyntheticSlide } from './readers/index.js';
export type {
  OpenImageOptions,
  ImageReader,
  OpenedImage,
  ImageLevel,
  ImageFormat,
  ImageCompression,
  ReaderName,
  RegionPixels,
  ReadRegionOptions,
  ReaderOptions,
  MakeSyntheticSlideOptions,
  SyntheticSlide,
} from './readers/index.js';
export { makeSyntheticDataset } from './readers/make-synthetic-dataset.js';
export type { MakeSyntheticDatasetOptions } from './readers/make-synthetic-dataset.js';

// ── pool ──
export { JobExecutor, getWorkerInfo } from './pool/index.js';
export type {
  JobExecutorOptions,
  RunOptions,
  MapOptions,
  RunAllOptions,
  CloseOptions,
  JobOutcome,
  ExecutorReport,
  WorkerReport,
  DurationSummary,
  JobContext,
  JobFunction,
  WorkerInitFunction,
  WorkerInfo,
  JobRunner,
  JobRunOptions,
  MapSource,
} from './pool/index.js';

// ── operators ──
export {
  Flowable,
  fromAsyncIterable,
  toAsyncIterable,
  boundedQueue,
  mapInPool,
  roundRobinMerge,
  batch,
} from './operators/index.js';
export type {
  Demand,
  FlowSink,
  FlowProducer,
  FlowSubscription,
  StageOperator,
  FromAsyncIterableOptions,
  ToAsyncIterableOptions,
  ToAsyncIterableStats,
  BoundedAsyncIterator,
  BoundedQueueOptions,
  BoundedQueueStats,
  MapInPoolOptions,
  MapInPoolStats,
  RoundRobinMergeOptions,
  RoundRobinMergeStats,
  RoundRobinSourceStats,
  RoundRobinMerger,
  BatchOptions,
  BatchStats,
} from './operators/index.js';

// ── big-chunk loaders ──
export { randomRegion } from './loaders/index.js';
export type {
  BigChunk,
  BigChunkInfo,
  BigChunkLoader,
  BigChunkLoaderSpec,
  BigChunkResult,
  LoaderContext,
  PatientData,
  TaskRandom,
  RandomRegionOptions,
} from './loaders/index.js';

// ── small-chunk collectors ──
export { FINISHED, cropPixels, randomPatches } from './collectors/index.js';
export type {
  SmallChunk,
  SmallChunkInfo,
  SmallChunkCollector,
  SmallChunkCollectorSpec,
  SmallChunkResult,
  CollectorContext,
  RandomPatchesOptions,
} from './collectors/index.js';

// ── LightDL and its scheduler ──
export {
  LightDL,
  collateBatch,
  initialState,
  step,
  SCHEDULER_DEFAULTS,
  activePatients,
  waitingPatients,
  eligiblePatients,
  inFlightLoads,
  nextWakeAt,
  schedulerStats,
  fromPyDmedConfig,
} from './scheduler/index.js';
export type {
  LightDLOptions,
  LightDLStats,
  LoadedBigChunk,
  Batch,
  StepResult,
  SchedulerConfig,
  SchedulerPatient,
  FailurePolicy,
  ResolvedSchedulerConfig,
  SchedulerPolicy,
  CustomSchedulerPolicy,
  PolicyDecision,
  PolicyView,
  PolicyPatientView,
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
  FailureInfo,
  SchedulerState,
  SlotState,
  SlotPhase,
  PatientState,
  ChunkRun,
  TenureRef,
  SchedulerCounters,
  SchedulerStats,
  PyDmedMappedOptions,
  PyDmedConversion,
  FromPyDmedConfigOptions,
  CoreAssignment,
} from './scheduler/index.js';

// ── stats ──
export { ServedLog, drawPatchMap } from './stats/index.js';
export type { ServedSample, DrawPatchMapOptions } from './stats/index.js';
