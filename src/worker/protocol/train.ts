// Training: build a session, control it, and what its loop streams (progress, indicator tables,
// state changes). The worker side is src/worker/session.ts.
import type { BackendName } from './engine.ts';
import type { PresetName, TrainSettings } from './vocabulary.ts';

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
 * The warm-up before a session's first step on a GPU backend (webgpu, webgl): one path per
 * candidate index runs with learning rate 0 so that every program training needs is compiled
 * (state unchanged: Trainer.warmUp). `done` of `total` paths; sent before the first (done 0) and
 * after each. Streams while a session runs; not tied to a command.
 */
export interface TrainWarmupEvent {
  type: 'trainWarmup';
  done: number;
  total: number;
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
