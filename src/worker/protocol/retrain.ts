// Retrain: a picked subnet as a standalone network, every weight trainable, trained from scratch on
// the session's data (src/core/retrain), then top-1 / top-5 on the held-out split. The worker side
// is src/worker/retrain.ts.
import type { SpaceId } from './vocabulary.ts';

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
