// Pure updates of the training values from the worker's stream (unit-tested without a worker).
// Fields carry a `train` prefix: the store is one flat object shared by slices.

import type { IndicatorSnapshot, IndicatorsEvent, SpaceId, TrainProgressEvent, TrainStateName } from '../../worker/protocol/index.ts';

export interface CurvePoint {
  /** 1-based: the number of steps taken when the point was measured. */
  step: number;
  loss: number;
  /** Top-1 accuracy on the batch, 0..1. */
  acc: number;
}

/** The indicator snapshot as the UI shows it (the heatmap): the scores as a plain array. */
export type IndicatorView = Omit<IndicatorSnapshot, 'scores'> & { scores: number[] };

export interface TrainValues {
  trainState: TrainStateName;
  /** Steps taken. */
  trainStep: number;
  trainTotalSteps: number;
  trainPoints: CurvePoint[];
  /** Loss of the first step of the run (before any update), for cross-backend checks. */
  trainFirstLoss: number | null;
  trainEpoch: number | null;
  trainLr: number | null;
  trainImagesPerSec: number | null;
  trainEtaSec: number | null;
  /** Space and choices of each layer of the built supernet. */
  trainSpace: SpaceId | null;
  trainChoices: number[][] | null;
  trainIndicators: IndicatorView | null;
  /** The warm-up before the first step (GPU backends): paths done of total; null once a step is reported. */
  trainWarmup: { done: number; total: number } | null;
  /** A command is in flight (buttons wait). */
  trainBusy: boolean;
}

export const TRAIN_DEFAULT: TrainValues = {
  trainState: 'idle',
  trainStep: 0,
  trainTotalSteps: 0,
  trainPoints: [],
  trainFirstLoss: null,
  trainEpoch: null,
  trainLr: null,
  trainImagesPerSec: null,
  trainEtaSec: null,
  trainSpace: null,
  trainChoices: null,
  trainIndicators: null,
  trainWarmup: null,
  trainBusy: false,
};

/** Points kept per curve; past this, every other point is dropped (first and last kept). */
export const MAX_CURVE_POINTS = 1000;

export function appendPoint(points: CurvePoint[], p: CurvePoint, max = MAX_CURVE_POINTS): CurvePoint[] {
  const next = [...points, p];
  if (next.length <= max) return next;
  return next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
}

export function withProgress(v: TrainValues, ev: TrainProgressEvent): Partial<TrainValues> {
  return {
    trainStep: ev.step + 1,
    trainPoints: appendPoint(v.trainPoints, { step: ev.step + 1, loss: ev.loss, acc: ev.acc }),
    trainFirstLoss: ev.step === 0 ? ev.loss : v.trainFirstLoss,
    trainEpoch: ev.epoch,
    trainLr: ev.lr,
    trainImagesPerSec: ev.imagesPerSec,
    trainEtaSec: ev.etaSec,
    trainWarmup: null,
  };
}

export function withIndicators(ev: IndicatorsEvent): Partial<TrainValues> {
  return { trainIndicators: { step: ev.step, choices: ev.choices, scores: Array.from(ev.scores) } };
}

/** A freshly built session: curves cleared, the new layout known. */
export function withBuilt(space: SpaceId, choices: number[][], totalSteps: number): Partial<TrainValues> {
  return { ...TRAIN_DEFAULT, trainBusy: true, trainSpace: space, trainChoices: choices, trainTotalSteps: totalSteps };
}
