// A/B of one speed lever on the BN-only step, in one process on one backend: a single BN-only
// trainer steps with the lever on and off in alternating order (A B, B A, A B, ...), on the same
// batch and the same path in both halves of a round, so a machine load that comes and goes hits
// both alike. No Node APIs (the browser worker runs it too).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { setFrozenConvGrad, type FrozenConvGrad } from '../src/core/model/ops.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, median, timeStep, type Clock } from './stepBench.ts';

export interface LeverAB {
  lever: 'convGrad';
  a: FrozenConvGrad;
  b: FrozenConvGrad;
  steps: number;
  warmupRounds: number;
  aStepMs: number[];
  bStepMs: number[];
  aMedianMs: number;
  bMedianMs: number;
  /** a / b: below 1 = the lever (a) wins. */
  ratio: number;
}

export async function runConvGradAB(recipe: TrainRecipe, steps: number, warmupRounds: number, clock: Clock = () => performance.now()): Promise<LeverAB> {
  const rounds = warmupRounds + steps;
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  const { x, y } = benchBatch(recipe);
  const paths = benchPaths(trainer.supernet.resolved.layers, 'uniform', rounds, 1);
  const times: Record<FrozenConvGrad, number[]> = { forward: [], native: [] };
  const prev = setFrozenConvGrad('forward');
  try {
    for (let round = 0; round < rounds; round++) {
      const order: FrozenConvGrad[] = round % 2 === 0 ? ['forward', 'native'] : ['native', 'forward'];
      for (const mode of order) {
        setFrozenConvGrad(mode);
        const ms = await timeStep(trainer, x, y, paths[round], clock);
        if (round >= warmupRounds) times[mode].push(ms);
      }
    }
  } finally {
    setFrozenConvGrad(prev);
    trainer.dispose();
    tf.dispose([x, y]);
  }
  const a = median(times.forward);
  const b = median(times.native);
  return { lever: 'convGrad', a: 'forward', b: 'native', steps, warmupRounds, aStepMs: times.forward, bStepMs: times.native, aMedianMs: a, bMedianMs: b, ratio: a / b };
}
