// The worker's training loop over src/core: builds a Trainer from the `tiny` preset with the
// command's overrides, feeds it synthetic batches, and reports each step. Reads back only the
// two scalars per step (inside Trainer.step) and the indicator table at the end.
import * as tf from '@tensorflow/tfjs-core';
import { resolveRecipe } from '../core/config.ts';
import { syntheticBatch } from '../core/data/synthetic.ts';
import { Trainer } from '../core/train/trainer.ts';
import type { TrainCommand } from './protocol.ts';

export interface TrainReport {
  steps: number;
  choices: number[][];
  scores: Float32Array;
}

export async function runTraining(
  cmd: TrainCommand,
  onStep: (s: { step: number; loss: number; acc: number; lr: number; paths: number; ms: number }) => void,
): Promise<TrainReport> {
  const recipe = resolveRecipe('tiny', {
    seed: cmd.seed,
    sampler: cmd.sampler,
    batchSize: cmd.batchSize,
    totalSteps: cmd.steps,
    config: { resolution: cmd.resolution, numClasses: cmd.numClasses },
  });
  const trainer = new Trainer(recipe);
  try {
    const data = { seed: recipe.seed, numClasses: recipe.config.numClasses, resolution: recipe.config.resolution, noise: recipe.data.noise, trainSize: recipe.data.trainSize, valSize: recipe.data.valSize };
    for (let t = 0; t < cmd.steps; t++) {
      const t0 = performance.now();
      const b = syntheticBatch(data, 'train', t, recipe.batchSize);
      const x = tf.tensor4d(b.images, [b.size, b.resolution, b.resolution, 3]);
      const y = tf.tensor1d(b.labels, 'int32');
      const r = await trainer.step(x, y).finally(() => tf.dispose([x, y]));
      onStep({ step: r.step, loss: r.loss, acc: r.acc, lr: r.lr, paths: r.paths.length, ms: performance.now() - t0 });
    }
    const table = await trainer.supernet.indicators();
    return { steps: cmd.steps, choices: table.layers.map((l) => l.choices), scores: Float32Array.from(table.layers.flatMap((l) => l.scores)) };
  } finally {
    trainer.dispose();
  }
}
