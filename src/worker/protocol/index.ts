// The one cross-thread contract between the UI (main thread) and the engine worker, split by
// feature in this folder: engine.ts (backend, smoke, errors), vocabulary.ts (the core's names,
// re-exported), train.ts, data.ts, search.ts, isometry.ts, runs.ts, retrain.ts, watch.ts (live
// isometry and run comparison). This index re-exports them all and defines the two unions and the
// `Commands` map.
//
// Only plain data and typed arrays cross: every message is structured-cloneable. Each command
// carries a caller-chosen `id`; the worker echoes it on the events that answer it (its answer and
// its stream), so the UI can match replies to requests. Both sides `switch` on `type` and end in
// a `never` check, so adding a variant here is a compile error until both sides handle it; adding
// a command is a compile error until `Commands` and `COMMAND_EVENTS` name its answer and stream.
//
// Compiled by both tsconfig.ui.json (DOM) and tsconfig.worker.json (WebWorker): these files touch
// no global and import only pure core files (no tensors, no DOM).
import type { EngineErrorEvent, InitCommand, ReadyEvent, SmokeCommand, SmokeResultEvent } from './engine.ts';
import type { DataClearCommand, DataClearedEvent, DataIssueEvent, DataLoadedEvent, DataProgressEvent, DataSamplesEvent, LoadDataCommand } from './data.ts';
import type { IsometryCommand, IsometryProgressEvent, IsometryResultEvent, IsometryStopAckEvent, IsometryStopCommand } from './isometry.ts';
import type { RetrainEvalEvent, RetrainProgressEvent, RetrainResultEvent, RetrainStartCommand, RetrainStopCommand, RetrainStoppedEvent } from './retrain.ts';
import type { DeviceLostEvent, RunExportedEvent, RunResumedEvent, RunsAnswerEvent, RunsCommand, RunsEvent, RunUpdatedEvent } from './runs.ts';
import type { ExportCommand, ExportedEvent, SearchCommand, SearchGenerationEvent, SearchResultEvent, SearchSavedEvent, SearchStopCommand, SearchStoppedEvent } from './search.ts';
import type { BuildCommand, BuiltEvent, IndicatorsEvent, TrainControlCommand, TrainProgressEvent, TrainStateEvent, TrainWarmupEvent } from './train.ts';
import type { RunComparedEvent, WatchCommand, WatchConfigEvent, WatchEvent, WatchHistoryEvent, WatchSpectraEvent } from './watch.ts';

export * from './engine.ts';
export * from './vocabulary.ts';
export * from './train.ts';
export * from './data.ts';
export * from './search.ts';
export * from './isometry.ts';
export * from './runs.ts';
export * from './retrain.ts';
export * from './watch.ts';

/** UI -> worker. */
export type EngineCommand =
  | InitCommand
  | SmokeCommand
  | BuildCommand
  | TrainControlCommand
  | LoadDataCommand
  | DataClearCommand
  | SearchCommand
  | SearchStopCommand
  | ExportCommand
  | RetrainStartCommand
  | RetrainStopCommand
  | IsometryCommand
  | IsometryStopCommand
  | RunsCommand
  | WatchCommand;

/** worker -> UI. */
export type EngineEvent =
  | ReadyEvent
  | SmokeResultEvent
  | BuiltEvent
  | TrainProgressEvent
  | TrainWarmupEvent
  | IndicatorsEvent
  | TrainStateEvent
  | DataProgressEvent
  | DataIssueEvent
  | DataSamplesEvent
  | DataLoadedEvent
  | DataClearedEvent
  | SearchGenerationEvent
  | SearchSavedEvent
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

export type CommandType = EngineCommand['type'];
/** The command of a type. */
export type CommandOf<K extends CommandType> = Extract<EngineCommand, { type: K }>;
/** What the caller gives: the command without its type and id. */
export type CommandBody<K extends CommandType> = Omit<CommandOf<K>, 'type' | 'id'>;

/**
 * For each command: the event that answers it (same id; an `error` with its id answers it
 * instead) and the events it streams before that (same id; `never` when none).
 */
export interface Commands {
  init: { answer: ReadyEvent; stream: never };
  smoke: { answer: SmokeResultEvent; stream: never };
  build: { answer: BuiltEvent; stream: never };
  trainStart: { answer: TrainStateEvent; stream: never };
  trainPause: { answer: TrainStateEvent; stream: never };
  trainResume: { answer: TrainStateEvent; stream: never };
  trainStop: { answer: TrainStateEvent; stream: never };
  loadData: { answer: DataLoadedEvent; stream: DataProgressEvent | DataIssueEvent | DataSamplesEvent };
  dataClear: { answer: DataClearedEvent; stream: never };
  search: { answer: SearchResultEvent; stream: SearchGenerationEvent | SearchSavedEvent };
  searchStop: { answer: SearchStoppedEvent; stream: never };
  export: { answer: ExportedEvent; stream: never };
  retrainStart: { answer: RetrainResultEvent; stream: RetrainProgressEvent | RetrainEvalEvent };
  retrainStop: { answer: RetrainStoppedEvent; stream: never };
  isometry: { answer: IsometryResultEvent; stream: IsometryProgressEvent };
  isometryStop: { answer: IsometryStopAckEvent; stream: never };
  runsList: { answer: RunsEvent; stream: never };
  runResume: { answer: RunResumedEvent; stream: never };
  runDelete: { answer: RunsEvent; stream: never };
  runExport: { answer: RunExportedEvent; stream: never };
  runImport: { answer: RunsEvent; stream: never };
  debugLoseDevice: { answer: DeviceLostEvent; stream: never };
  watchSet: { answer: WatchConfigEvent; stream: never };
  runCompare: { answer: RunComparedEvent; stream: never };
}

export type AnswerOf<K extends CommandType> = Commands[K]['answer'];
export type StreamOf<K extends CommandType> = Commands[K]['stream'];

/** The same map at run time (event type names), so a client can route events it did not ask for. */
export const COMMAND_EVENTS: { [K in CommandType]: { answer: AnswerOf<K>['type']; stream: readonly StreamOf<K>['type'][] } } = {
  init: { answer: 'ready', stream: [] },
  smoke: { answer: 'smokeResult', stream: [] },
  build: { answer: 'built', stream: [] },
  trainStart: { answer: 'trainState', stream: [] },
  trainPause: { answer: 'trainState', stream: [] },
  trainResume: { answer: 'trainState', stream: [] },
  trainStop: { answer: 'trainState', stream: [] },
  loadData: { answer: 'dataLoaded', stream: ['dataProgress', 'dataIssue', 'dataSamples'] },
  dataClear: { answer: 'dataCleared', stream: [] },
  search: { answer: 'searchResult', stream: ['searchGeneration', 'searchSaved'] },
  searchStop: { answer: 'searchStopped', stream: [] },
  export: { answer: 'exported', stream: [] },
  retrainStart: { answer: 'retrainResult', stream: ['retrainProgress', 'retrainEval'] },
  retrainStop: { answer: 'retrainStopped', stream: [] },
  isometry: { answer: 'isometryResult', stream: ['isometryProgress'] },
  isometryStop: { answer: 'isometryStopAck', stream: [] },
  runsList: { answer: 'runs', stream: [] },
  runResume: { answer: 'runResumed', stream: [] },
  runDelete: { answer: 'runs', stream: [] },
  runExport: { answer: 'runExported', stream: [] },
  runImport: { answer: 'runs', stream: [] },
  debugLoseDevice: { answer: 'deviceLost', stream: [] },
  watchSet: { answer: 'watchConfig', stream: [] },
  runCompare: { answer: 'runCompared', stream: [] },
};

/**
 * Events not tied to a command, by the part of the app that listens: the training loop's stream,
 * stored runs (a checkpoint written, a resume after a device loss), live isometry, and issues
 * found while training on loaded data (`dataIssue` with id null).
 */
export interface Broadcasts {
  train: TrainProgressEvent | TrainWarmupEvent | IndicatorsEvent | TrainStateEvent;
  runs: RunUpdatedEvent | RunResumedEvent | DeviceLostEvent;
  watch: WatchConfigEvent | WatchSpectraEvent | WatchHistoryEvent;
  trainingData: DataIssueEvent;
}
export type BroadcastChannel = keyof Broadcasts;

/**
 * The channel of each event that may arrive without a pending command (or, for `watchConfig` and
 * `deviceLost`, is also announced when it answers one).
 */
export const BROADCAST_OF: Partial<Record<EngineEvent['type'], BroadcastChannel>> = {
  trainProgress: 'train',
  trainWarmup: 'train',
  indicators: 'train',
  trainState: 'train',
  runUpdated: 'runs',
  runResumed: 'runs',
  deviceLost: 'runs',
  watchConfig: 'watch',
  watchSpectra: 'watch',
  watchHistory: 'watch',
  dataIssue: 'trainingData',
};
