// Small recipes and batches for Node tests: shapes tiny enough for the tfjs cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { resolveRecipe, type RecipeOverride, type TrainRecipe } from '../train/recipe.ts';
import { syntheticBatch } from '../data/synthetic.ts';
import { batchTensors } from '../train/batchTensors.ts';

/**
 * bnnas-mbv2 at 16 px, width 0.25, 4 classes, batch 8, lr 0.1, no dropout (unless overridden): the
 * `tiny` preset with the paper's space (the preset itself trains the demo space).
 */
export function testRecipe(o: RecipeOverride = {}): TrainRecipe {
  return resolveRecipe('tiny', { space: 'bnnas-mbv2', lr: 0.1, batchSize: 8, dropout: 0, ...o, config: { resolution: 16, numClasses: 4, ...o.config } });
}

/** Training batch `t` of the built-in synthetic data for a recipe, as tensors (caller disposes). */
export function syntheticTensors(r: TrainRecipe, t: number, split: 'train' | 'val' = 'train'): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const cfg = { seed: r.seed, numClasses: r.config.numClasses, resolution: r.config.resolution, noise: r.data.noise, trainSize: r.data.trainSize, valSize: r.data.valSize, planted: r.data.planted, plantedOnly: r.data.plantedOnly };
  const b = syntheticBatch(cfg, split, t, r.batchSize);
  return batchTensors(b);
}
