// The one cross-thread contract between the UI (main thread) and the engine worker.
//
// Only plain data and typed arrays cross: every message is structured-cloneable. Each command
// carries a caller-chosen `id`; the worker echoes it on the event that answers it, so the UI can
// match replies to requests. Both sides `switch` on `type` and end in a `never` check, so adding
// a variant here is a compile error until both sides handle it.
//
// This file is compiled by both tsconfig.ui.json (DOM) and tsconfig.worker.json (WebWorker):
// it must import nothing and touch no global.

/** tfjs backends the lab knows how to select, named as tfjs registers them. */
export type BackendName = 'webgpu' | 'webgl' | 'cpu';

/** Preference order used when the page does not ask for another one. */
export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

export function isBackendName(name: string): name is BackendName {
  return name === 'webgpu' || name === 'webgl' || name === 'cpu';
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
// Training settings: the subset of src/core/config.ts TrainRecipe the lab exposes. Plain data so
// the UI can hold, validate and put them in the URL without importing the engine. The worker
// turns them into a recipe with resolveRecipe(preset, overrides); src/worker/settings.test.ts
// keeps the lists and presets below equal to the core's.

export const SPACE_NAMES = ['bnnas-mbv2', 'fairnas-mbv2', 'spos-shufflenetv2'] as const;
export type SpaceName = (typeof SPACE_NAMES)[number];
export const INIT_NAMES = ['orthogonal', 'he-normal', 'delta-orthogonal'] as const;
export type InitKind = (typeof INIT_NAMES)[number];
export const MODE_NAMES = ['bn', 'last-bn', 'all'] as const;
export type ModeName = (typeof MODE_NAMES)[number];
export const SAMPLER_NAMES = ['fair', 'uniform'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];
export const PRESET_NAMES = ['tiny', 'small', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface TrainSettings {
  space: SpaceName;
  /** Input side in pixels (square), >= 8. */
  resolution: number;
  /** Channel width multiplier, > 0. */
  widthMult: number;
  /** Number of classes, >= 2. */
  numClasses: number;
  init: InitKind;
  /** Integer in 0..2^32-1; seeds weights, data and the sampler. */
  seed: number;
  mode: ModeName;
  sampler: SamplerName;
  /** Images per step, >= 2 (BN needs batch statistics). */
  batchSize: number;
  /** Steps of the run (the cosine schedule's horizon), >= 1. */
  totalSteps: number;
  /** Peak learning rate (step 0), > 0. */
  lr: number;
}

/** Each preset resolved onto the core's defaults (DEFAULT_RECIPE then PRESETS[name]). */
export const PRESET_SETTINGS: Record<PresetName, TrainSettings> = {
  tiny: { space: 'bnnas-mbv2', resolution: 32, widthMult: 0.25, numClasses: 10, init: 'orthogonal', seed: 0, mode: 'bn', sampler: 'fair', batchSize: 16, totalSteps: 100, lr: 0.1 },
  small: { space: 'bnnas-mbv2', resolution: 64, widthMult: 1, numClasses: 1000, init: 'orthogonal', seed: 0, mode: 'bn', sampler: 'fair', batchSize: 32, totalSteps: 1000, lr: 0.1 },
  paper: { space: 'bnnas-mbv2', resolution: 224, widthMult: 1, numClasses: 1000, init: 'orthogonal', seed: 0, mode: 'bn', sampler: 'fair', batchSize: 32, totalSteps: 1000, lr: 0.1 },
};

/** Where a training session stands. */
export type TrainStateName = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/**
 * Build a fresh supernet and trainer from `preset` + `settings` on the built-in synthetic data
 * (disposing any earlier session); answered by `built`. Refused while a session runs.
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

export type EngineCommand = InitCommand | SmokeCommand | BuildCommand | TrainControlCommand;

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
  | EngineErrorEvent;

// ---------------------------------------------------------------------------------------------
// The smoke computation, fixed so any backend (and the e2e test, in plain JS) can reproduce it:
//   input  x: [1, 8, 8, 3] (NHWC), x[flat k] = ((7k) mod 11 - 5) / 5
//   filter w: [3, 3, 3, 4] (HWIO), w[flat k] = ((5k) mod 13 - 6) / 6
//   y = conv2d(x, w, strides 1, padding 'valid')  -> [1, 6, 6, 4]
//   {mean, variance} = tf.moments(y, [0, 1, 2])   -> [4] each

export const SMOKE_INPUT_SHAPE = [1, 8, 8, 3] as const;
export const SMOKE_FILTER_SHAPE = [3, 3, 3, 4] as const;
export const SMOKE_OUT_CHANNELS = 4;
