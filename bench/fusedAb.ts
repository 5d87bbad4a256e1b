// A/B of fused BN training (src/core/model/fused/) on the BN-only one-path step, interleaved as
// in leverBench.ts: one trainer steps with fusion on and off in alternating order (A B, B A, ...)
// on the same batch and the same path within a round. No Node APIs.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { fusedBnActive, setFusedBn, type FusedBnMode } from '../src/core/model/fused/bnTrain.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, median, timeStep, type Clock } from './stepBench.ts';

export interface FusedBnAB {
  lever: 'fusedBn';
  a: 'on';
  b: 'off';
  /** Whether the fused kernels ran in the A half (false: the backend has none, A = B). */
  fusedActive: boolean;
  steps: number;
  warmupRounds: number;
  aStepMs: number[];
  bStepMs: number[];
  aMedianMs: number;
  bMedianMs: number;
  /** a / b: below 1 = fused wins. */
  ratio: number;
}

export async function runFusedBnAB(recipe: TrainRecipe, steps: number, warmupRounds: number, clock: Clock = () => performance.now()): Promise<FusedBnAB> {
  const rounds = warmupRounds + steps;
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  const { x, y } = benchBatch(recipe);
  const paths = benchPaths(trainer.supernet.resolved.layers, 'uniform', rounds, 1);
  const times: Record<FusedBnMode, number[]> = { on: [], off: [] };
  const prev = setFusedBn('on');
  const active = fusedBnActive();
  try {
    for (let round = 0; round < rounds; round++) {
      const order: FusedBnMode[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const mode of order) {
        setFusedBn(mode);
        const ms = await timeStep(trainer, x, y, paths[round], clock);
        if (round >= warmupRounds) times[mode].push(ms);
      }
    }
  } finally {
    setFusedBn(prev);
    trainer.dispose();
    tf.dispose([x, y]);
  }
  const a = median(times.on);
  const b = median(times.off);
  return { lever: 'fusedBn', a: 'on', b: 'off', fusedActive: active, steps, warmupRounds, aStepMs: times.on, bStepMs: times.off, aMedianMs: a, bMedianMs: b, ratio: a / b };
}
