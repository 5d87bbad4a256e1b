// Training images per second of a recipe on the active backend, for the data benchmark's "the
// pipeline never starves training" figure: one BN-only trainer, one fixed batch on the device,
// interleaved rounds of one uniform step (one path) and one fair step (m paths on the same batch,
// one update: what the app's default sampler does), the first `warmupRounds` untimed. One batch is
// consumed per step either way, so images/s = batch / step time. No Node APIs.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { pathsPerStep } from '../src/core/train/sampler.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, median, timeStep } from './stepBench.ts';
import { rate } from './dataReport.ts';

export interface TrainRate {
  source: 'measured';
  backend: string;
  batchSize: number;
  pathsPerFairStep: number;
  uniformStepMs: number[];
  fairStepMs: number[];
  uniformMedianMs: number;
  fairMedianMs: number;
  /** batch / median uniform step (one path a step). */
  uniformImagesPerSecond: number;
  /** batch / median fair step (the default sampler). */
  fairImagesPerSecond: number;
}

export async function measureTrainRate(recipe: TrainRecipe, steps: number, warmupRounds = 1, onStep?: (line: string) => void): Promise<TrainRate> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`train steps must be an integer >= 1, got ${steps}`);
  const rounds = warmupRounds + steps;
  const clock = () => performance.now();
  const { x, y } = benchBatch(recipe);
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  try {
    const layers = trainer.supernet.resolved.layers;
    const uniform = benchPaths(layers, 'uniform', rounds, 0);
    const fair = benchPaths(layers, 'fair', rounds, 0);
    const u: number[] = [];
    const f: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const mu = await timeStep(trainer, x, y, uniform[round], clock);
      const mf = await timeStep(trainer, x, y, fair[round], clock);
      onStep?.(`train round ${round}${round < warmupRounds ? ' (warm-up)' : ''}: uniform ${mu.toFixed(0)} ms, fair ${mf.toFixed(0)} ms`);
      if (round >= warmupRounds) {
        u.push(mu);
        f.push(mf);
      }
    }
    const uniformMedianMs = median(u);
    const fairMedianMs = median(f);
    return {
      source: 'measured',
      backend: tf.getBackend(),
      batchSize: recipe.batchSize,
      pathsPerFairStep: pathsPerStep(layers, 'fair'),
      uniformStepMs: u,
      fairStepMs: f,
      uniformMedianMs,
      fairMedianMs,
      uniformImagesPerSecond: rate(recipe.batchSize, uniformMedianMs),
      fairImagesPerSecond: rate(recipe.batchSize, fairMedianMs),
    };
  } finally {
    trainer.dispose();
    tf.dispose([x, y]);
  }
}
