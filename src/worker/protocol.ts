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

/**
 * Train a small supernet on the built-in synthetic data for `steps` steps (BN-only by default),
 * streaming `trainProgress` per step and answering with `trainDone`. Requires a prior `init`.
 */
export interface TrainCommand {
  type: 'train';
  id: number;
  steps: number;
  /** Input resolution in pixels (the `tiny` preset's other settings apply). */
  resolution: number;
  numClasses: number;
  batchSize: number;
  sampler: 'fair' | 'uniform';
  seed: number;
}

export type EngineCommand = InitCommand | SmokeCommand | TrainCommand;

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

/** One training step finished (streams while a `train` command runs). */
export interface TrainProgressEvent {
  type: 'trainProgress';
  id: number;
  step: number;
  loss: number;
  acc: number;
  lr: number;
  /** Paths run in this step (m for the fair sampler, 1 for uniform). */
  paths: number;
  ms: number;
}

/** A `train` command finished; the indicator table flattened layer by layer. */
export interface TrainDoneEvent {
  type: 'trainDone';
  id: number;
  backend: BackendName;
  steps: number;
  /** Choices of each layer (-1 = identity), and their scores in the same flattened order. */
  choices: number[][];
  scores: Float32Array;
}

/** A command failed; `id` is null when the failure is not tied to a command. */
export interface EngineErrorEvent {
  type: 'error';
  id: number | null;
  message: string;
}

export type EngineEvent = ReadyEvent | SmokeResultEvent | TrainProgressEvent | TrainDoneEvent | EngineErrorEvent;

// ---------------------------------------------------------------------------------------------
// The smoke computation, fixed so any backend (and the e2e test, in plain JS) can reproduce it:
//   input  x: [1, 8, 8, 3] (NHWC), x[flat k] = ((7k) mod 11 - 5) / 5
//   filter w: [3, 3, 3, 4] (HWIO), w[flat k] = ((5k) mod 13 - 6) / 6
//   y = conv2d(x, w, strides 1, padding 'valid')  -> [1, 6, 6, 4]
//   {mean, variance} = tf.moments(y, [0, 1, 2])   -> [4] each

export const SMOKE_INPUT_SHAPE = [1, 8, 8, 3] as const;
export const SMOKE_FILTER_SHAPE = [3, 3, 3, 4] as const;
export const SMOKE_OUT_CHANNELS = 4;
