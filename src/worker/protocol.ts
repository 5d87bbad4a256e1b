// The one cross-thread contract between the UI (main thread) and the engine worker.
//
// Only plain data and typed arrays cross: every message is structured-cloneable. Each command
// carries a caller-chosen `id`; the worker echoes it on the event that answers it, so the UI can
// match replies to requests. Both sides `switch` on `type` and end in a `never` check, so adding
// a variant here is a compile error until both sides handle it.
//
// This file is compiled by both tsconfig.ui.json (DOM) and tsconfig.worker.json (WebWorker):
// it touches no global and imports only pure core files (the vocabulary it re-exports) and
// protocolWatch.ts (live isometry and run comparison, re-exported here; type-only imports of pure core
// files).

import type { WatchCommand, WatchEvent } from './protocolWatch.ts';

export * from './protocolWatch.ts';

/** tfjs backends the lab knows how to select, named as tfjs registers them. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Preference order used when the page does not ask for another one. A software GPU adapter
 * (SwiftShader, llvmpipe) is skipped for webgpu / webgl whenever wasm comes later in the order.
 */
export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(name: string): name is BackendName {
  return name === 'webgpu' || name === 'webgl' || name === 'wasm' || name === 'cpu';
}

/** A backend that was tried (or skipped) before the active one, and why it was not used. */
export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

/** Outcome of backend selection: the active backend plus every earlier choice that failed. */
export interface BackendChoice {
  backend: BackendName;
  fallbacks: BackendFallback[];
}

// ---------------------------------------------------------------------------------------------
// UI -> worker

/** Select the first backend of `backends` (in order) that initialises; answered by `ready`. */
export interface InitCommand {
  type: 'init';
  id: number;
  backends: BackendName[];
  /** Fused BN training where the backend has it (webgpu); `?fusedBn=off` turns it off. Absent = on. */
  fusedBn?: 'on' | 'off';
}

/**
 * Run the fixed smoke computation (see SMOKE_* below); answered by `smokeResult`.
 * Requires a prior `init`.
 */
export interface SmokeCommand {
  type: 'smoke';
  id: number;
}

// ---------------------------------------------------------------------------------------------
// The core's vocabulary, re-exported (pure data files): spaces, initialisations, training modes,
// samplers, presets, and the training settings the lab exposes (src/core/train/recipe.ts; the
// worker turns them into a recipe with recipeFromSettings).

export { SPACE_IDS } from '../core/space/spaces.ts';
export type { SpaceId } from '../core/space/types.ts';
export { INIT_NAMES, type InitName } from '../core/init/index.ts';
export { TRAIN_MODES, type TrainMode } from '../core/train/modes.ts';
export { SAMPLER_KINDS, type SamplerKind } from '../core/train/sampler.ts';
export { PRESET_NAMES, PRESET_SETTINGS, type PresetName, type TrainSettings } from '../core/train/recipe.ts';
import type { InitName } from '../core/init/index.ts';
import type { SpaceId } from '../core/space/types.ts';
import type { PresetName, TrainSettings } from '../core/train/recipe.ts';

/** Where a training session stands. */
export type TrainStateName = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/**
 * Build a fresh supernet and trainer from `preset` + `settings` on the selected data (the built-in
 * synthetic data unless a `loadData` selected files; then `numClasses` is the data's), disposing
 * any earlier session; answered by `built`. Refused while a session runs or data is loading.
 */
export interface BuildCommand {
  type: 'build';
  id: number;
  preset: PresetName;
  settings: TrainSettings;
}

/**
 * Training controls, cooperative between steps: the loop checks the session state before each
 * step. Each is answered by a `trainState` carrying its id. Start requires a `build`.
 */
export interface TrainControlCommand {
  type: 'trainStart' | 'trainPause' | 'trainResume' | 'trainStop';
  id: number;
}

// Data: files posted from the page, read inside the worker. The loaded data is the
// source every later `build` trains on, until `dataClear` selects the synthetic data again.

/** One picked or dropped file; `path` is its relative path (a folder pick / drop), else its name. */
export interface DataFileRef {
  file: File;
  path: string;
}

/**
 * Read `files` (shards, or an ImageFolder's images) in the worker: streams `dataProgress`,
 * `dataIssue` and `dataSamples`, then answers with `dataLoaded`. A later `loadData` or
 * `dataClear` cancels a load in progress (it then answers with `cancelled: true`).
 */
export interface LoadDataCommand {
  type: 'loadData';
  id: number;
  files: DataFileRef[];
  /**
   * Training on this data keeps each decoded image (at twice the training resolution) in the
   * Origin Private File System, so later epochs skip decoding (src/worker/decodeCache.ts).
   */
  cache?: boolean;
  /**
   * Held-out fraction of the samples (by key hash, as the CLI's --val-fraction) when no file is
   * recognised as validation by its path; in [0, 1), default 0.01, 0 = no validation data
   * (src/worker/dataSplit.ts).
   */
  valFraction?: number;
}

/** Select the built-in synthetic data again (cancelling a load); answered by `dataCleared`. */
export interface DataClearCommand {
  type: 'dataClear';
  id: number;
}

export type EngineCommand = InitCommand | SmokeCommand | BuildCommand | TrainControlCommand | LoadDataCommand | DataClearCommand | SearchCommand | SearchStopCommand | ExportCommand | RetrainStartCommand | RetrainStopCommand | IsometryCommand | IsometryStopCommand | RunsCommand | WatchCommand;

// ---------------------------------------------------------------------------------------------
// worker -> UI

export interface ReadyEvent extends BackendChoice {
  type: 'ready';
  id: number;
}

/** Per-output-channel moments of the smoke convolution (tf.moments over axes [0, 1, 2]). */
export interface SmokeResultEvent {
  type: 'smokeResult';
  id: number;
  backend: BackendName;
  /** Shape of the conv2d output, [1, 6, 6, 4]. */
  outShape: number[];
  /** Length SMOKE_OUT_CHANNELS. */
  mean: Float32Array;
  /** Population variance (divides by N, as tf.moments does); length SMOKE_OUT_CHANNELS. */
  variance: Float32Array;
}

/** A `build` finished: the supernet's searchable layers and the choices each offers. */
export interface BuiltEvent {
  type: 'built';
  id: number;
  backend: BackendName;
  /** Choices of each layer in order (-1 = identity first where offered, then 0..n-1). */
  choices: number[][];
  totalSteps: number;
  /** The data the run trains on ("synthetic", or the loaded files' summary name). */
  data: string;
  /** Classes of the built supernet's head (taken from the loaded data when there is some). */
  numClasses: number;
}

/** One training step finished (streams while a session runs; not tied to a command). */
export interface TrainProgressEvent {
  type: 'trainProgress';
  /** 0-based index of the step just taken. */
  step: number;
  /** Passes over the training split so far (steps taken x batch / train size; fractional). */
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
  /** Paths run in this step (m for the fair sampler, 1 for uniform). */
  paths: number;
  /** Batch images per second over recent steps. */
  imagesPerSec: number;
  /** Estimated seconds to the last step at the recent rate. */
  etaSec: number;
}

/**
 * The indicator table s(l, c) after `step` (throttled; always sent when the loop stops).
 * Scores flattened layer by layer in the order of `choices`; the buffer is transferred.
 */
export interface IndicatorsEvent {
  type: 'indicators';
  step: number;
  choices: number[][];
  scores: Float32Array;
}

/**
 * The session's state changed, or a control command was answered (`id` = that command's id;
 * null when the loop itself changed state, e.g. on reaching the last step). `step` = steps taken.
 */
export interface TrainStateEvent {
  type: 'trainState';
  id: number | null;
  state: TrainStateName;
  step: number;
}

/** A command failed; `id` is null when the failure is not tied to a command. */
export interface EngineErrorEvent {
  type: 'error';
  id: number | null;
  message: string;
}

export type EngineEvent =
  | ReadyEvent
  | SmokeResultEvent
  | BuiltEvent
  | TrainProgressEvent
  | IndicatorsEvent
  | TrainStateEvent
  | DataProgressEvent
  | DataIssueEvent
  | DataSamplesEvent
  | DataLoadedEvent
  | DataClearedEvent
  | SearchGenerationEvent
  | SearchResultEvent
  | SearchStoppedEvent
  | ExportedEvent
  | RetrainProgressEvent
  | RetrainEvalEvent
  | RetrainResultEvent
  | RetrainStoppedEvent
  | IsometryProgressEvent
  | IsometryResultEvent
  | IsometryStopAckEvent
  | RunsAnswerEvent
  | WatchEvent
  | EngineErrorEvent;

/** Where a `loadData` stands (throttled while reading; always sent last before `dataLoaded`). */
export interface DataProgressEvent {
  type: 'dataProgress';
  /** The loadData command's id. */
  id: number;
  filesDone: number;
  filesTotal: number;
  /** The file being read (its path), or null between files. */
  currentFile: string | null;
  /** File bytes read (as stored: compressed bytes for .gz) and their total over all files. */
  bytesRead: number;
  bytesTotal: number;
  /** Samples read with a valid label and a decodable image. */
  samples: number;
  /** Samples skipped because of an issue (sent as dataIssue). */
  skipped: number;
  /** Samples per sorted-synset class index 0..999 (length 1000; transferred). */
  perClass: Uint32Array;
  /** Images decoded so far, and decoded images per second of decoding. */
  decoded: number;
  decodePerSec: number;
  /**
   * Name of each class index when an ImageFolder without synset directories is read (classes =
   * its sorted directory names); null when class indices are sorted synsets.
   */
  folderClassNames: string[] | null;
  /** Some sample named its ImageNet synset (shard member, file or folder name): indices are ImageNet's. */
  synsetLabels: boolean;
}

/** One bad input: the sample (or the rest of the file) was skipped. */
export interface DataIssueEvent {
  type: 'dataIssue';
  /** The loadData command's id; null when found while training on the data (each reported once). */
  id: number | null;
  file: string;
  /** Machine-readable reason (the IssueCode of src/core/data/shard.ts). */
  code: string;
  key?: string;
  offset?: number;
  /** The full message: names the file and the sample key and / or byte offset. */
  reason: string;
}

/** A decoded sample for the Data panel's grid: RGBA, width x height (buffer transferred). */
export interface DataThumbnail {
  file: string;
  key: string;
  classIndex: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** A few decoded samples of the data being loaded (sent once, as soon as there are enough). */
export interface DataSamplesEvent {
  type: 'dataSamples';
  id: number;
  samples: DataThumbnail[];
}

/** What a finished (or cancelled) load selected; the next `build` trains on it. */
export interface DataSummary {
  /** Name shown with runs, e.g. "3 files (imagenet1k-train-0000.tar, ...)". */
  name: string;
  files: number;
  bytes: number;
  samples: number;
  skipped: number;
  issues: number;
  /** Class indices (0..999) present, ascending: training label k = classIndices[k]. */
  classIndices: number[];
  /** Samples of each class in classIndices order. */
  classCounts: number[];
  /**
   * Name of each class in classIndices order: an ImageFolder directory, "n01440764 tench" when the
   * data names ImageNet synsets (synsetLabels), else "class 3".
   */
  classNames: string[];
  /** The data declared its labels ImageNet's (some sample named a synset). */
  synsetLabels: boolean;
  decoded: number;
  decodePerSec: number;
  /** How training and validation samples are told apart (the file paths, or a held-out fraction). */
  split: DataSplit;
}

/**
 * The split of loaded data: 'files': the files whose path marks them as validation
 * (src/core/data/splitFiles.ts) are the validation set; 'fraction': that fraction of every file's
 * samples is held out by key hash; 'none': no validation data (fraction 0).
 */
export type DataSplit =
  | { kind: 'files'; valFiles: number; valBytes: number; trainFiles: number; /** The first validation paths (at most 20). */ shown: string[] }
  | { kind: 'fraction'; fraction: number; /** Why files named as validation are not used as such, if some are. */ note?: string }
  | { kind: 'none'; note?: string };

/**
 * Answers `loadData`. `summary` is null when nothing usable was read (no sample, fewer than two
 * classes, or cancelled): the selection is then unchanged.
 */
export interface DataLoadedEvent {
  type: 'dataLoaded';
  id: number;
  summary: DataSummary | null;
  cancelled: boolean;
  /** Why nothing was selected, when summary is null. */
  reason?: string;
}

/** Answers `dataClear`: the built-in synthetic data is selected. */
export interface DataClearedEvent {
  type: 'dataCleared';
  id: number;
}

// ---------------------------------------------------------------------------------------------
// Search: evolutionary search over the built session's indicator table, and export of a
// picked subnet. See docs/search.md; the worker side is src/worker/search.ts.

/** Scoring rules of src/core/search/score.ts (kept equal by src/worker/search.test.ts). */
export const SCORE_RULE_NAMES = ['dirf', 'bnnas'] as const;
export type ScoreRuleName = (typeof SCORE_RULE_NAMES)[number];
export const EXPORT_FORMATS = ['json', 'timm'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Search the current session's indicator table (a snapshot taken now; the session must have
 * trained at least one step; it may still be running). Answered by `searchResult` (same id) after
 * a stream of `searchGeneration` events (same id); one search at a time.
 */
export interface SearchCommand {
  type: 'search';
  id: number;
  rule: ScoreRuleName;
  /** Limits on the reference cost (224 px, 1000 classes, the run's width); null = no limit. */
  maxMacs: number | null;
  maxParams: number | null;
  /** Seed of the search's random draws. */
  seed: number;
  /** Evolution overrides (defaults: DEFAULT_EVOLUTION, 50 x 20). */
  populationSize?: number;
  generations?: number;
}

/**
 * Stop the running search after the generation in flight (its `searchResult` then has
 * `stopped: true`); answered by `searchStopped` once it has ended.
 */
export interface SearchStopCommand {
  type: 'searchStop';
  id: number;
}

/**
 * Export `arch` of the current session: the indicator table of its last search (or a snapshot
 * taken now if it has none) and the session's space, config, seed and init. `rule` defaults to
 * the last search's (else dirf). Answered by `exported`.
 */
export interface ExportCommand {
  type: 'export';
  id: number;
  arch: number[];
  format: ExportFormat;
  rule?: ScoreRuleName;
}

/** A scored architecture; macs / params at the reference (224 px, 1000 classes, the run's width). */
export interface SearchCandidate {
  arch: number[];
  fitness: number;
  macs: number;
  params: number;
}

/** Per-generation statistics (core GenerationStats without the top list's fitness). */
export interface SearchGenerationStats {
  generation: number;
  best: number | null;
  mean: number | null;
  evaluated: number;
  rejected: number;
}

/**
 * Search progress (throttled): the latest finished generation and the candidates scored since
 * the previous event, as (MACs, fitness) columns; the buffers are transferred.
 */
export interface SearchGenerationEvent extends SearchGenerationStats {
  type: 'searchGeneration';
  id: number;
  /** Generations the search will run in all. */
  generations: number;
  macs: Float64Array;
  fitness: Float64Array;
}

/** A search ended (ran out or was stopped); `id` is the `search` command's. */
export interface SearchResultEvent {
  type: 'searchResult';
  id: number;
  stopped: boolean;
  space: SpaceId;
  widthMult: number;
  rule: ScoreRuleName;
  seed: number;
  maxMacs: number | null;
  maxParams: number | null;
  populationSize: number;
  generations: number;
  /** Training steps the searched indicator table had taken. */
  tableStep: number;
  /** Best first (at most 50). */
  top: SearchCandidate[];
  /** Non-dominated (MACs ascending, fitness ascending). */
  pareto: SearchCandidate[];
  history: SearchGenerationStats[];
  /** Distinct candidates scored. */
  evaluated: number;
  /** The per-layer argmax subnet, whether or not it fits the limits. */
  argmax: SearchCandidate & { withinLimits: boolean };
}

/** A search result as a run keeps it (RunRecord.search): the event without its type and command id. */
export type StoredSearch = Omit<SearchResultEvent, 'type' | 'id'>;

export interface SearchStoppedEvent {
  type: 'searchStopped';
  id: number;
  /** False when no search was running. */
  wasRunning: boolean;
}

/** The exported text (JSON for both formats) and a file name for it. */
export interface ExportedEvent {
  type: 'exported';
  id: number;
  format: ExportFormat;
  filename: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Isometry lens (docs/isometry.md): squared singular values of each candidate module's
// tile Jacobian at its real input, per layer and candidate, and the depth profile of the sample
// path. Handled by src/worker/isometry.ts.

export const CALIBRATION_NAMES = ['sequential', 'stored'] as const;
export type CalibrationName = (typeof CALIBRATION_NAMES)[number];

/**
 * Analyse candidate modules and answer with one `isometryResult`, streaming one
 * `isometryProgress` per module. Either fresh supernets built from `preset` + `settings` on the
 * built-in synthetic data, one per entry of `inits` (same space, config and seed: "before
 * training"), or, with `useTrained`, the current session's supernet with its trained BN
 * parameters on the session's data (`inits` ignored; refused while the session runs). The
 * analysis leaves every supernet's state unchanged. Cancelled by `isometryStop`.
 */
export interface IsometryCommand {
  type: 'isometry';
  id: number;
  preset: PresetName;
  settings: TrainSettings;
  inits: InitName[];
  /** Searchable layers to analyse (0-based); empty = every layer. */
  layers: number[];
  /** Requested tile side in pixels (>= 1; clipped to the map and to a Jacobian of <= 1024 rows / cols). */
  tile: number;
  useTrained: boolean;
  /** 'sequential' calibrates every BN on its real input; 'stored' keeps the running statistics. */
  calibration: CalibrationName;
}

/**
 * Stop the running analysis after the module in flight (handled at once, not queued behind it).
 * Answered by `isometryStopAck`; the analysis then answers with `stopped: true`.
 */
export interface IsometryStopCommand {
  type: 'isometryStop';
  id: number;
}

/** One module analysed (streams while an `isometry` command runs). */
export interface IsometryProgressEvent {
  type: 'isometryProgress';
  /** The isometry command's id. */
  id: number;
  /** Run (supernet) index, 0-based, and the number of runs. */
  run: number;
  runs: number;
  init: InitName;
  /** Modules finished over all runs, and their total. */
  done: number;
  total: number;
  layer: number;
  choice: number;
  meanSq: number;
}

/** The figures of one module (one candidate of one layer); histogram counts are in the run's `histCounts`. */
export interface IsometryModuleFigures {
  layer: number;
  /** Candidate index (-1 = identity). */
  choice: number;
  /** Mean and population variance of the squared singular values (the paper's first two moments). */
  meanSq: number;
  varSq: number;
  min: number;
  max: number;
  /** Number of squared singular values: min(rows, cols). */
  count: number;
  /** Tile side used, and J's rows x cols. */
  tile: number;
  rows: number;
  cols: number;
  /** Values below the first edge (zeros included) and at or above the last. */
  under: number;
  over: number;
  /** Wall time of the module's Jacobian + spectrum, ms. */
  ms: number;
}

/** One analysed supernet. */
export interface IsometryRun {
  init: InitName;
  /** Training steps the supernet had taken (0: at initialisation). */
  step: number;
  trained: boolean;
  /** The path whose modules produce the real inputs (one choice per layer). */
  samplePath: number[];
  modules: IsometryModuleFigures[];
  /** Histogram counts, module by module in `modules` order, `histEdges.length - 1` per module (transferred). */
  histCounts: Uint32Array;
  /** Depth profile along the sample path, stem to classifier; empty when the run was stopped. */
  depthNames: string[];
  /** Variance of the module's output over the batch (pooled, biased); transferred. */
  depthSignalVar: Float64Array;
  /** Per-sample norm of the gradient of a random logit projection at the module's output; transferred. */
  depthGradNorm: Float64Array;
}

/** Answers `isometry`. */
export interface IsometryResultEvent {
  type: 'isometryResult';
  id: number;
  backend: BackendName;
  /** True when an `isometryStop` ended it early: the runs hold the modules finished before. */
  stopped: boolean;
  space: SpaceId;
  resolution: number;
  widthMult: number;
  numClasses: number;
  seed: number;
  /** Images in the analysis (and calibration) batch. */
  batchSize: number;
  calibration: CalibrationName;
  /** The fixed histogram bin edges shared by every module (transferred). */
  histEdges: Float64Array;
  runs: IsometryRun[];
}

/** Answers `isometryStop`: whether an analysis was running (it stops after its module in flight). */
export interface IsometryStopAckEvent {
  type: 'isometryStopAck';
  id: number;
  wasRunning: boolean;
}

// ---------------------------------------------------------------------------------------------
// Runs (persistence): kept by the worker in IndexedDB (src/worker/persist/). A run is
// created by `build`; its checkpoint, metrics history and status are written as it trains.

/** A stored run's status; `interrupted` = it was running or paused when its page went away. */
export type RunStatus = TrainStateName | 'interrupted';

/**
 * When the live run is checkpointed: once `everySteps` steps or `everyMs` milliseconds have passed
 * since the last checkpoint (whichever comes first), and whenever its loop stops (pause, stop,
 * done, error).
 */
export interface CheckpointPolicy {
  everySteps: number;
  everyMs: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everySteps: 20, everyMs: 30_000 };

/** Per-step metrics of a run: entry i belongs to step i (0-based), one entry per step taken. */
export interface MetricsHistory {
  loss: Float32Array;
  acc: Float32Array;
  lr: Float32Array;
}

/** One stored run as the Runs panel lists it. */
export interface RunSummary {
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  created: number;
  updated: number;
  preset: PresetName;
  settings: TrainSettings;
  /** The data it trains on ("synthetic", or the loaded files' summary name). */
  data: string;
  status: RunStatus;
  /** Steps taken as last recorded. */
  step: number;
  totalSteps: number;
  /** Steps taken at the stored checkpoint (null: none yet); a resume continues from here. */
  checkpointStep: number | null;
  checkpointBytes: number;
  lastLoss: number | null;
  hasSearch: boolean;
  /** The run of this worker's current session. */
  live: boolean;
}

/** List the stored runs (and set the checkpoint policy when given); answered by `runs`. */
export interface RunsListCommand {
  type: 'runsList';
  id: number;
  policy?: CheckpointPolicy;
}

/**
 * Rebuild a session from run `runId`'s last checkpoint (a fresh supernet, the step counter and
 * metrics history continued from the checkpoint) and, when `start`, run it; answered by
 * `runResumed`. Refused while a session runs or is paused.
 */
export interface RunResumeCommand {
  type: 'runResume';
  id: number;
  runId: string;
  start: boolean;
}

/** Delete a run and its checkpoint (refused for a live run that runs or is paused); answered by `runs`. */
export interface RunDeleteCommand {
  type: 'runDelete';
  id: number;
  runId: string;
}

/** Pack a run into one file (src/worker/persist/runFile.ts); answered by `runExported`. */
export interface RunExportCommand {
  type: 'runExport';
  id: number;
  runId: string;
}

/** Store a run file read in the worker (refused with a message naming the file); answered by `runs`. */
export interface RunImportCommand {
  type: 'runImport';
  id: number;
  file: Blob;
  fileName: string;
}

/** Store search results (opaque JSON) with run `runId` (null: the live run); answered by `runs`. */
export interface RunSaveSearchCommand {
  type: 'runSaveSearch';
  id: number;
  runId: string | null;
  results: unknown;
}

/** Test hook (the UI sends it only from pages with `?debug=1`): destroys the WebGPU device; answered by `deviceLost`. */
export interface DebugLoseDeviceCommand {
  type: 'debugLoseDevice';
  id: number;
}

export type RunsCommand =
  | RunsListCommand
  | RunResumeCommand
  | RunDeleteCommand
  | RunExportCommand
  | RunImportCommand
  | RunSaveSearchCommand
  | DebugLoseDeviceCommand;

export interface RunsEvent {
  type: 'runs';
  id: number;
  runs: RunSummary[];
  policy: CheckpointPolicy;
}

/** A stored run changed (checkpoint written, status changed); not tied to a command. */
export interface RunUpdatedEvent {
  type: 'runUpdated';
  run: RunSummary;
}

/** A session was rebuilt from a run's checkpoint (`id` null: after a device loss). */
export interface RunResumedEvent {
  type: 'runResumed';
  id: number | null;
  backend: BackendName;
  run: RunSummary;
  choices: number[][];
  totalSteps: number;
  /** Steps taken: the checkpoint's step. */
  step: number;
  state: TrainStateName;
  /** Entries 0..step-1; the buffers are transferred. */
  history: MetricsHistory;
  /** The search results stored with the run (null: none, or unreadable: see searchProblem). */
  search: StoredSearch | null;
  /** Why stored search results could not be restored (the resume itself went on). */
  searchProblem?: string;
}

/** A run packed into one file; `bytes` is transferred. */
export interface RunExportedEvent {
  type: 'runExported';
  id: number;
  fileName: string;
  bytes: Uint8Array;
}

/**
 * The WebGPU device was lost (`id`: the debugLoseDevice command, else null). The worker then
 * re-initialises the backend and resumes the live run from its last checkpoint (`runResumed`).
 */
export interface DeviceLostEvent {
  type: 'deviceLost';
  id: number | null;
  message: string;
  /** The live run when the device went, if any. */
  runId: string | null;
}

export type RunsAnswerEvent = RunsEvent | RunUpdatedEvent | RunResumedEvent | RunExportedEvent | DeviceLostEvent;

// ---------------------------------------------------------------------------------------------
// Retrain: a picked subnet as a standalone network, every weight trainable, trained
// from scratch on the session's data (src/core/retrain), then top-1 / top-5 on the held-out
// split. The worker side is src/worker/retrain.ts.

/**
 * Retrain `arch` of the current session's space and config on the session's data (the session
 * must not be running). Runs in the background: streams `retrainProgress` (every step) and
 * `retrainEval`, answered by `retrainResult` (same id); one retrain at a time.
 */
export interface RetrainStartCommand {
  type: 'retrainStart';
  id: number;
  arch: number[];
  /** Steps (the cosine horizon), >= 1. */
  steps: number;
  /** Peak learning rate; default the core's DEFAULT_RETRAIN.lr. */
  lr?: number;
  /** Held-out batches per evaluation (null = the whole held-out split). */
  evalBatches: number | null;
  /** Evaluate every this many steps as well (0 = only at the end). */
  evalEvery: number;
}

/** Stop the retrain before its next step (it still evaluates); answered by `retrainStopped`. */
export interface RetrainStopCommand {
  type: 'retrainStop';
  id: number;
}

export interface RetrainProgressEvent {
  type: 'retrainProgress';
  id: number;
  /** 0-based index of the step just taken, of `totalSteps`. */
  step: number;
  totalSteps: number;
  loss: number;
  acc: number;
  lr: number;
}

/** A held-out evaluation after `step` steps (top-1 / top-5 as fractions). */
export interface RetrainEvalEvent {
  type: 'retrainEval';
  id: number;
  step: number;
  top1: number;
  top5: number;
  loss: number;
  images: number;
}

export interface RetrainResultEvent {
  type: 'retrainResult';
  id: number;
  stopped: boolean;
  arch: number[];
  space: SpaceId;
  /** Steps taken, of `totalSteps`. */
  steps: number;
  totalSteps: number;
  top1: number;
  top5: number;
  loss: number;
  /** Held-out images the final evaluation counted. */
  images: number;
  /** Trainable parameters and MACs of the standalone network at the run's config. */
  params: number;
  macs: number;
  trainLoss: number | null;
  trainAcc: number | null;
  /** Name of the data it trained on. */
  data: string;
  /** The trained network (src/core/retrain/checkpoint.ts format); the buffer is transferred. */
  checkpoint: Uint8Array;
}

export interface RetrainStoppedEvent {
  type: 'retrainStopped';
  id: number;
  wasRunning: boolean;
}

// ---------------------------------------------------------------------------------------------
// The smoke computation, fixed so any backend (and the e2e test, in plain JS) can reproduce it:
//   input  x: [1, 8, 8, 3] (NHWC), x[flat k] = ((7k) mod 11 - 5) / 5
//   filter w: [3, 3, 3, 4] (HWIO), w[flat k] = ((5k) mod 13 - 6) / 6
//   y = conv2d(x, w, strides 1, padding 'valid')  -> [1, 6, 6, 4]
//   {mean, variance} = tf.moments(y, [0, 1, 2])   -> [4] each

export const SMOKE_INPUT_SHAPE = [1, 8, 8, 3] as const;
export const SMOKE_FILTER_SHAPE = [3, 3, 3, 4] as const;
export const SMOKE_OUT_CHANNELS = 4;
