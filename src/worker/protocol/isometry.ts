// Isometry lens (docs/isometry.md): squared singular values of each candidate module's tile
// Jacobian at its real input, per layer and candidate, and the depth profile of the sample path.
// Handled by src/worker/isometry.ts.
import type { BackendName } from './engine.ts';
import type { InitName, PresetName, SpaceId, TrainSettings } from './vocabulary.ts';

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
