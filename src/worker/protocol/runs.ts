// Runs (persistence): kept by the worker in IndexedDB (src/worker/persist/). A run is created by
// `build`; its checkpoint, metrics history and status are written as it trains.
import type { BackendName } from './engine.ts';
import type { StoredSearch } from './search.ts';
import type { TrainStateName } from './train.ts';
import type { PresetName, TrainSettings } from './vocabulary.ts';

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
