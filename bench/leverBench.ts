// A/B of one speed lever on the BN-only step, in one process on one backend: a single BN-only
// trainer steps with the lever on and off in alternating order (A B, B A, A B, ...), on the same
// batch and the same path in both halves of a round, so a machine load that comes and goes hits
// both alike. No Node APIs (the browser worker runs it too). runInterleavedAB is the loop; the
// conv-gradient lever is here, the fused-BN lever in fusedAb.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { setFrozenConvGrad, type FrozenConvGrad } from '../src/core/model/ops.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, median, timeStep, type Clock } from './stepBench.ts';

/** The step times of an interleaved A/B (warm-up rounds dropped) and their medians. */
export interface ABTimes {
  steps: number;
  warmupRounds: number;
  aStepMs: number[];
  bStepMs: number[];
  aMedianMs: number;
  bMedianMs: number;
  /** a / b: below 1 = the lever (a) wins. */
  ratio: number;
}

export interface LeverAB extends ABTimes {
  lever: 'convGrad';
  a: FrozenConvGrad;
  b: FrozenConvGrad;
}

/**
 * Steps one BN-only trainer `warmupRounds + steps` rounds, each round once with the lever at `a`
 * and once at `b` (A B in even rounds, B A in odd ones), on the same batch and path within a round.
 * `set` switches the lever and returns the previous setting, which is restored at the end.
 */
export async function runInterleavedAB<M extends string>(
  recipe: TrainRecipe,
  steps: number,
  warmupRounds: number,
  lever: { a: M; b: M; set: (mode: M) => M },
  clock: Clock = () => performance.now(),
): Promise<ABTimes> {
  const rounds = warmupRounds + steps;
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  const { x, y } = benchBatch(recipe);
  const paths = benchPaths(trainer.supernet.resolved.layers, 'uniform', rounds, 1);
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  const prev = lever.set(lever.a);
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [lever.a, lever.b] : [lever.b, lever.a];
      for (const mode of order) {
        lever.set(mode);
        const ms = await timeStep(trainer, x, y, paths[round], clock);
        if (round >= warmupRounds) (mode === lever.a ? aTimes : bTimes).push(ms);
      }
    }
  } finally {
    lever.set(prev);
    trainer.dispose();
    tf.dispose([x, y]);
  }
  const a = median(aTimes);
  const b = median(bTimes);
  return { steps, warmupRounds, aStepMs: aTimes, bStepMs: bTimes, aMedianMs: a, bMedianMs: b, ratio: a / b };
}

export async function runConvGradAB(recipe: TrainRecipe, steps: number, warmupRounds: number, clock: Clock = () => performance.now()): Promise<LeverAB> {
  const times = await runInterleavedAB<FrozenConvGrad>(recipe, steps, warmupRounds, { a: 'forward', b: 'native', set: setFrozenConvGrad }, clock);
  return { lever: 'convGrad', a: 'forward', b: 'native', ...times };
}
