// Main-thread handle on the engine worker: sends typed commands, resolves each with the event
// that answers it (matched by id), and hands the training stream (progress, indicator tables,
// state changes the worker made by itself) to `onStream`. Holds no tensors and imports no tfjs.

import type {
  BackendName,
  BuiltEvent,
  DataClearedEvent,
  DataFileRef,
  DataIssueEvent,
  DataLoadedEvent,
  DataProgressEvent,
  DataSamplesEvent,
  EngineCommand,
  EngineEvent,
  ExportedEvent,
  ExportFormat,
  IndicatorsEvent,
  IsometryCommand,
  IsometryProgressEvent,
  IsometryResultEvent,
  IsometryStopAckEvent,
  PresetName,
  ReadyEvent,
  RetrainEvalEvent,
  RetrainProgressEvent,
  RetrainResultEvent,
  RetrainStartCommand,
  RetrainStoppedEvent,
  ScoreRuleName,
  SearchCommand,
  SearchGenerationEvent,
  SearchResultEvent,
  SearchStoppedEvent,
  SmokeResultEvent,
  TrainControlCommand,
  TrainProgressEvent,
  TrainSettings,
  TrainStateEvent,
} from '../worker/protocol.ts';
import type { CheckpointPolicy, DeviceLostEvent, RunExportedEvent, RunResumedEvent, RunsEvent, RunUpdatedEvent } from '../worker/protocol.ts';
import type { RunComparedEvent, WatchConfigEvent, WatchHistoryEvent, WatchSettings, WatchSpectraEvent } from '../worker/protocolWatch.ts';

/** Live isometry events not tied to a command (src/ui/store/watchSlice.ts). */
export type WatchStreamEvent = WatchConfigEvent | WatchSpectraEvent | WatchHistoryEvent;

/** Events not tied to a command. */
export type StreamEvent = TrainProgressEvent | IndicatorsEvent | TrainStateEvent;

/** What a running loadData streams (its progress, issues and thumbnails). */
export type DataStreamEvent = DataProgressEvent | DataIssueEvent | DataSamplesEvent;

/** Stored-run events not tied to a command (a checkpoint written, a resume after a device loss). */
export type RunsStreamEvent = RunUpdatedEvent | RunResumedEvent | DeviceLostEvent;

type Answer = ReadyEvent | SmokeResultEvent | BuiltEvent | TrainStateEvent | DataLoadedEvent | DataClearedEvent | IsometryResultEvent | IsometryStopAckEvent | SearchResultEvent | SearchStoppedEvent | ExportedEvent | RetrainResultEvent | RetrainStoppedEvent | RunsEvent | RunExportedEvent | RunResumedEvent | DeviceLostEvent | WatchConfigEvent | RunComparedEvent;
type Pending = { resolve: (ev: Answer) => void; reject: (err: Error) => void };

// Distributes Omit over the union so each command keeps its own fields.
type CommandBody = EngineCommand extends infer C ? (C extends EngineCommand ? Omit<C, 'id'> : never) : never;

export interface EngineListeners {
  /** Failures not tied to a command (worker load errors, errors of the training loop). */
  onFatal: (message: string) => void;
  onStream: (ev: StreamEvent) => void;
}

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  /** Progress listeners of running isometry analyses, by command id. */
  private readonly isometryProgress = new Map<number, (ev: IsometryProgressEvent) => void>();
  /** Generation listeners of running searches, by command id. */
  private readonly searchProgress = new Map<number, (ev: SearchGenerationEvent) => void>();
  /** Step and evaluation listeners of running retrains, by command id. */
  private readonly retrainProgress = new Map<number, (ev: RetrainProgressEvent | RetrainEvalEvent) => void>();
  /** Stream listeners of running loads, by command id. */
  private readonly dataProgress = new Map<number, (ev: DataStreamEvent) => void>();
  /** Issues found while training on loaded data (not tied to a command). */
  onTrainingDataIssue: ((ev: DataIssueEvent) => void) | null = null;
  private nextId = 1;

  constructor(private readonly listeners: EngineListeners) {
    // This exact form lets Vite bundle the worker as a separate ES module chunk.
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'engine',
    });
    this.worker.addEventListener('message', (ev: MessageEvent<EngineEvent>) => this.receive(ev.data));
    this.worker.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault();
      this.failAll(`engine worker error: ${ev.message || 'failed to load'}`);
    });
  }

  /** Runs a search on the session's indicator table; `onGeneration` gets the throttled progress. */
  async search(req: Omit<SearchCommand, 'type' | 'id'>, onGeneration: (ev: SearchGenerationEvent) => void): Promise<SearchResultEvent> {
    const id = this.nextId; // the id request() gives this command
    this.searchProgress.set(id, onGeneration);
    try {
      return expectType(await this.request({ type: 'search', ...req }), 'searchResult');
    } finally {
      this.searchProgress.delete(id);
    }
  }

  /** Stops the running search after its generation in flight (its `search` then resolves, stopped). */
  async stopSearch(): Promise<SearchStoppedEvent> {
    return expectType(await this.request({ type: 'searchStop' }), 'searchStopped');
  }

  /** The JSON or timm export of `arch` of the current session. */
  async exportSubnet(arch: number[], format: ExportFormat, rule?: ScoreRuleName): Promise<ExportedEvent> {
    return expectType(await this.request({ type: 'export', arch, format, ...(rule === undefined ? {} : { rule }) }), 'exported');
  }

  /** Retrains a picked subnet on the session's data; `onProgress` gets every step and evaluation. */
  async retrain(req: Omit<RetrainStartCommand, 'type' | 'id'>, onProgress: (ev: RetrainProgressEvent | RetrainEvalEvent) => void): Promise<RetrainResultEvent> {
    const id = this.nextId; // the id request() gives this command
    this.retrainProgress.set(id, onProgress);
    try {
      return expectType(await this.request({ type: 'retrainStart', ...req }), 'retrainResult');
    } finally {
      this.retrainProgress.delete(id);
    }
  }

  /** Stops the running retrain before its next step (its `retrain` then resolves, stopped). */
  async stopRetrain(): Promise<RetrainStoppedEvent> {
    return expectType(await this.request({ type: 'retrainStop' }), 'retrainStopped');
  }

  async init(backends: BackendName[], fusedBn?: 'on' | 'off'): Promise<ReadyEvent> {
    return expectType(await this.request({ type: 'init', backends, ...(fusedBn ? { fusedBn } : {}) }), 'ready');
  }

  async smoke(): Promise<SmokeResultEvent> {
    return expectType(await this.request({ type: 'smoke' }), 'smokeResult');
  }

  /** A fresh supernet and trainer for these settings on the selected data (synthetic unless some was loaded). */
  async build(preset: PresetName, settings: TrainSettings): Promise<BuiltEvent> {
    return expectType(await this.request({ type: 'build', preset, settings }), 'built');
  }

  /** Start / pause / resume / stop; resolves once the worker applied it (pause: after the step in flight). */
  async control(type: TrainControlCommand['type']): Promise<TrainStateEvent> {
    return expectType(await this.request({ type }), 'trainState');
  }

  /** Runs an isometry analysis (src/worker/isometry.ts); `onProgress` gets one report per module. */
  async isometry(req: Omit<IsometryCommand, 'type' | 'id'>, onProgress: (ev: IsometryProgressEvent) => void): Promise<IsometryResultEvent> {
    const id = this.nextId; // the id request() gives this command
    this.isometryProgress.set(id, onProgress);
    try {
      return expectType(await this.request({ type: 'isometry', ...req }), 'isometryResult');
    } finally {
      this.isometryProgress.delete(id);
    }
  }

  /** Asks the running analysis to stop after its module in flight (the analysis then answers `stopped`). */
  async stopIsometry(): Promise<IsometryStopAckEvent> {
    return expectType(await this.request({ type: 'isometryStop' }), 'isometryStopAck');
  }

  /**
   * Reads `files` in the worker (`cache`: training on them keeps decoded images in OPFS); `onEvent`
   * gets its stream; resolves with the summary (or why none).
   */
  /** `valFraction`: held-out fraction when no file is named as validation (LoadDataCommand.valFraction). */
  async loadData(files: DataFileRef[], cache: boolean, onEvent: (ev: DataStreamEvent) => void, valFraction?: number): Promise<DataLoadedEvent> {
    const id = this.nextId; // the id request() gives this command
    this.dataProgress.set(id, onEvent);
    try {
      return expectType(await this.request({ type: 'loadData', files, cache, ...(valFraction === undefined ? {} : { valFraction }) }), 'dataLoaded');
    } finally {
      this.dataProgress.delete(id);
    }
  }

  /** Selects the built-in synthetic data again (cancelling a load in progress). */
  async clearData(): Promise<DataClearedEvent> {
    return expectType(await this.request({ type: 'dataClear' }), 'dataCleared');
  }

  /** Stored runs' events not tied to a command (set by the runs slice). */
  onRunsEvent: ((ev: RunsStreamEvent) => void) | null = null;

  /** The stored runs (newest first); `policy` sets when the live run is checkpointed. */
  async runsList(policy?: CheckpointPolicy): Promise<RunsEvent> {
    return expectType(await this.request({ type: 'runsList', ...(policy === undefined ? {} : { policy }) }), 'runs');
  }

  /** Rebuilds run `runId` from its last checkpoint (and runs it when `start`). */
  async runResume(runId: string, start: boolean): Promise<RunResumedEvent> {
    return expectType(await this.request({ type: 'runResume', runId, start }), 'runResumed');
  }

  async runDelete(runId: string): Promise<RunsEvent> {
    return expectType(await this.request({ type: 'runDelete', runId }), 'runs');
  }

  /** The run packed into one file (bytes + a suggested file name). */
  async runExport(runId: string): Promise<RunExportedEvent> {
    return expectType(await this.request({ type: 'runExport', runId }), 'runExported');
  }

  /** Stores a run file (read in the worker). */
  async runImport(file: Blob, fileName: string): Promise<RunsEvent> {
    return expectType(await this.request({ type: 'runImport', file, fileName }), 'runs');
  }

  /** Stores search results (JSON) with run `runId` (null: the live run). */
  async runSaveSearch(runId: string | null, results: unknown): Promise<RunsEvent> {
    return expectType(await this.request({ type: 'runSaveSearch', runId, results }), 'runs');
  }

  /** Live isometry events not tied to a command (set by the watch slice). */
  onWatchEvent: ((ev: WatchStreamEvent) => void) | null = null;

  /** Changes the watch settings (protocolWatch.ts `watchSet`). */
  async watchSet(settings: Partial<WatchSettings>): Promise<WatchConfigEvent> {
    return expectType(await this.request({ type: 'watchSet', settings }), 'watchConfig');
  }

  /** Two stored runs and their comparison (B against A). */
  async runCompare(runA: string, runB: string): Promise<RunComparedEvent> {
    return expectType(await this.request({ type: 'runCompare', runA, runB }), 'runCompared');
  }

  /** Test hook (pages with ?debug=1 only): destroys the WebGPU device. */
  async debugLoseDevice(): Promise<DeviceLostEvent> {
    return expectType(await this.request({ type: 'debugLoseDevice' }), 'deviceLost');
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll('engine terminated');
  }

  private request(body: CommandBody): Promise<Answer> {
    const id = this.nextId++;
    const cmd = { ...body, id } as EngineCommand;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(cmd);
    });
  }

  private receive(ev: EngineEvent): void {
    switch (ev.type) {
      case 'ready':
      case 'smokeResult':
      case 'built':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'trainState':
        if (ev.id !== null && this.pending.has(ev.id)) this.settle(ev.id, (p) => p.resolve(ev));
        else this.listeners.onStream(ev);
        return;
      case 'trainProgress':
      case 'indicators':
        this.listeners.onStream(ev);
        return;
      case 'isometryResult':
      case 'isometryStopAck':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'isometryProgress':
        this.isometryProgress.get(ev.id)?.(ev);
        return;
      case 'searchResult':
      case 'searchStopped':
      case 'exported':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'searchGeneration':
        this.searchProgress.get(ev.id)?.(ev);
        return;
      case 'retrainResult':
      case 'retrainStopped':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'retrainProgress':
      case 'retrainEval':
        this.retrainProgress.get(ev.id)?.(ev);
        return;
      case 'dataLoaded':
      case 'dataCleared':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'dataProgress':
      case 'dataSamples':
        this.dataProgress.get(ev.id)?.(ev);
        return;
      case 'dataIssue':
        if (ev.id === null) this.onTrainingDataIssue?.(ev);
        else this.dataProgress.get(ev.id)?.(ev);
        return;
      case 'runs':
      case 'runExported':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'runUpdated':
        this.onRunsEvent?.(ev);
        return;
      case 'runResumed':
      case 'deviceLost':
        if (ev.id !== null && this.pending.has(ev.id)) this.settle(ev.id, (p) => p.resolve(ev));
        if (ev.id === null || ev.type === 'deviceLost') this.onRunsEvent?.(ev);
        return;
      case 'watchConfig':
        if (ev.id !== null && this.pending.has(ev.id)) this.settle(ev.id, (p) => p.resolve(ev));
        this.onWatchEvent?.(ev);
        return;
      case 'watchSpectra':
      case 'watchHistory':
        this.onWatchEvent?.(ev);
        return;
      case 'runCompared':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'error':
        if (ev.id === null || !this.pending.has(ev.id)) this.listeners.onFatal(ev.message);
        else this.settle(ev.id, (p) => p.reject(new Error(ev.message)));
        return;
      default: {
        const unreachable: never = ev;
        this.listeners.onFatal(`unknown engine event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private settle(id: number, f: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    f(p);
  }

  private failAll(message: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length === 0) this.listeners.onFatal(message);
    for (const p of waiting) p.reject(new Error(message));
  }
}

function expectType<T extends Answer['type']>(ev: Answer, type: T): Extract<Answer, { type: T }> {
  if (ev.type !== type) throw new Error(`expected ${type}, the engine answered ${ev.type}`);
  return ev as Extract<Answer, { type: T }>;
}
