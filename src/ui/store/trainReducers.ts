// Pure updates of the training values from the worker's stream (unit-tested without a worker).

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
  state: TrainStateName;
  /** Steps taken. */
  step: number;
  totalSteps: number;
  points: CurvePoint[];
  /** Loss of the first step of the run (before any update), for cross-backend checks. */
  firstLoss: number | null;
  epoch: number | null;
  lr: number | null;
  imagesPerSec: number | null;
  etaSec: number | null;
  /** Space and choices of each layer of the built supernet. */
  space: SpaceId | null;
  choices: number[][] | null;
  indicators: IndicatorView | null;
  /** The warm-up before the first step (GPU backends): paths done of total; null once a step is reported. */
  warmup: { done: number; total: number } | null;
  /** A command is in flight (buttons wait). */
  busy: boolean;
}

export const TRAIN_DEFAULT: TrainValues = {
  state: 'idle',
  step: 0,
  totalSteps: 0,
  points: [],
  firstLoss: null,
  epoch: null,
  lr: null,
  imagesPerSec: null,
  etaSec: null,
  space: null,
  choices: null,
  indicators: null,
  warmup: null,
  busy: false,
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
    step: ev.step + 1,
    points: appendPoint(v.points, { step: ev.step + 1, loss: ev.loss, acc: ev.acc }),
    firstLoss: ev.step === 0 ? ev.loss : v.firstLoss,
    epoch: ev.epoch,
    lr: ev.lr,
    imagesPerSec: ev.imagesPerSec,
    etaSec: ev.etaSec,
    warmup: null,
  };
}

export function withIndicators(ev: IndicatorsEvent): Partial<TrainValues> {
  return { indicators: { step: ev.step, choices: ev.choices, scores: Array.from(ev.scores) } };
}

/** A freshly built session: curves cleared, the new layout known. */
export function withBuilt(space: SpaceId, choices: number[][], totalSteps: number): Partial<TrainValues> {
  return { ...TRAIN_DEFAULT, busy: true, space, choices, totalSteps };
}
