// Retrain-and-verify as one call: train the subnet of a recipe from scratch on a BatchSource for
// recipe.totalSteps steps (training batch t = source.trainBatch(t, batchSize)), then report top-1
// / top-5 on the held-out split. Progress per step, optional evaluations along the way, and a
// cooperative stop (AbortSignal and / or shouldStop(), checked before every step); a stopped run
// still evaluates what it has and says `stopped: true`. The trainer is handed to `onDone` before
// it is disposed, so a caller can save a checkpoint (checkpoint.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource } from '../data/source.ts';
import { archCost } from '../space/cost.ts';
import { getSpace } from '../space/spaces.ts';
import type { StopSignal } from '../search/searchRun.ts';
import { evaluateSubnet, type EvalResult } from './evaluate.ts';
import type { RetrainRecipe } from './recipe.ts';
import { SubnetTrainer, type RetrainStep } from './trainer.ts';
import { batchTensors } from '../train/batchTensors.ts';

export interface RetrainOptions {
  /** Held-out batches for the final evaluation; null = the whole held-out split. */
  evalBatches?: number | null;
  /** Evaluate every this many steps as well (0 = only at the end). */
  evalEvery?: number;
  onStep?: (s: RetrainStep) => void;
  onEval?: (step: number, e: EvalResult) => void;
  /** Called with the trained network and its final evaluation before it is disposed (e.g. to save a checkpoint). */
  onDone?: (trainer: SubnetTrainer, evaluation: EvalResult) => Promise<void> | void;
  signal?: StopSignal;
  shouldStop?: () => boolean;
}

export interface RetrainResult extends EvalResult {
  recipe: RetrainRecipe;
  /** Steps actually taken. */
  steps: number;
  stopped: boolean;
  /** Trainable parameters of the standalone network, and its MACs, at the recipe's config. */
  params: number;
  macs: number;
  /** Mean training loss / top-1 over the last min(10, steps) steps. */
  trainLoss: number | null;
  trainAcc: number | null;
  data: string;
}

export function checkSourceFits(recipe: RetrainRecipe, source: BatchSource): void {
  if (source.numClasses !== recipe.config.numClasses) {
    throw new Error(`retrain: data "${source.name}" has ${source.numClasses} classes; the recipe has ${recipe.config.numClasses}`);
  }
  if (source.resolution !== recipe.config.resolution) {
    throw new Error(`retrain: data "${source.name}" is ${source.resolution} px; the recipe is ${recipe.config.resolution} px`);
  }
}

export async function runRetrain(recipe: RetrainRecipe, source: BatchSource, o: RetrainOptions = {}): Promise<RetrainResult> {
  checkSourceFits(recipe, source);
  const trainer = new SubnetTrainer(recipe);
  const stop = () => (o.signal?.aborted ?? false) || (o.shouldStop?.() ?? false);
  const evalOpts = { batchSize: recipe.batchSize, maxBatches: o.evalBatches === undefined ? null : o.evalBatches };
  const last: RetrainStep[] = [];
  let stopped = false;
  try {
    while (trainer.stepIndex < recipe.totalSteps) {
      if (stop()) {
        stopped = true;
        break;
      }
      const b = await source.trainBatch(trainer.stepIndex, recipe.batchSize);
      const { x, y } = batchTensors(b);
      const s = await trainer.step(x, y).finally(() => tf.dispose([x, y]));
      last.push(s);
      if (last.length > 10) last.shift();
      o.onStep?.(s);
      if (o.evalEvery && trainer.stepIndex % o.evalEvery === 0 && trainer.stepIndex < recipe.totalSteps) {
        o.onEval?.(trainer.stepIndex, await evaluateSubnet(trainer.net, source, evalOpts));
      }
    }
    const e = await evaluateSubnet(trainer.net, source, evalOpts);
    o.onEval?.(trainer.stepIndex, e);
    await o.onDone?.(trainer, e);
    const cost = archCost(getSpace(recipe.space), recipe.config, recipe.arch);
    const mean = (k: 'loss' | 'acc') => (last.length ? last.reduce((a, s) => a + s[k], 0) / last.length : null);
    return { ...e, recipe, steps: trainer.stepIndex, stopped, params: cost.params, macs: cost.macs, trainLoss: mean('loss'), trainAcc: mean('acc'), data: source.name };
  } finally {
    trainer.dispose();
  }
}
