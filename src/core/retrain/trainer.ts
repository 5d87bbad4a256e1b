// Training a standalone subnet from scratch: SGD with momentum (PyTorch convention, weight decay
// on conv / classifier weights only, see recipe.ts), cosine-annealed learning rate, label-smoothed
// cross-entropy, BN with batch statistics in training and momentum-averaged running statistics
// for evaluation. One read-back (`data()`) per step.
import * as tf from '@tensorflow/tfjs-core';
import type { BnStatsRecord } from '../model/bn.ts';
import { deriveRng } from '../rng.ts';
import { smoothedCrossEntropy, top1 } from '../train/loss.ts';
import { SgdMomentum } from '../train/optimizer.ts';
import { cosineLr } from '../train/schedule.ts';
import type { RetrainRecipe } from './recipe.ts';
import { Subnet } from './subnet.ts';

export interface RetrainStep {
  /** 0-based index of the step just taken. */
  step: number;
  /** Smoothed cross-entropy of the batch (before the update). */
  loss: number;
  /** Top-1 on the batch (training mode). */
  acc: number;
  lr: number;
}

/** Names of the weights that decay under `recipe` (conv and classifier weights; depthwise optional). */
export function decayedWeights(net: Subnet, recipe: RetrainRecipe): Set<string> {
  const out = new Set<string>();
  for (const [name, w] of net.weights) {
    if (w.rank < 2) continue; // classifier bias
    const depthwise = w.rank === 4 && w.shape[3] === 1 && /\.dw\d?$/.test(name);
    if (depthwise && !recipe.decayDepthwise) continue;
    out.add(name);
  }
  return out;
}

/** min(1, maxNorm / ||g||) over all gradients (PyTorch clip_grad_norm_), as a scalar on the device. */
function clipScale(grads: tf.Tensor[], maxNorm: number): tf.Scalar {
  return tf.tidy(() => {
    const sq = tf.addN(grads.map((g) => tf.sum(tf.square(g))));
    return tf.minimum(tf.scalar(1), tf.div(maxNorm, tf.add(tf.sqrt(sq), 1e-6))) as tf.Scalar;
  });
}

export class SubnetTrainer {
  readonly net: Subnet;
  readonly optimizer: SgdMomentum;
  /** Steps taken so far. */
  stepIndex = 0;

  constructor(readonly recipe: RetrainRecipe) {
    this.net = new Subnet(recipe);
    try {
      this.optimizer = new SgdMomentum(this.net.parameters(), recipe.momentum, recipe.weightDecay, decayedWeights(this.net, recipe));
    } catch (e) {
      this.net.dispose();
      throw e;
    }
  }

  lrAt(step: number): number {
    const r = this.recipe;
    const warm = r.warmupSteps > 0 ? Math.min(1, (step + 1) / r.warmupSteps) : 1;
    return warm * cosineLr(step, r.totalSteps, r.lr, r.lrMin);
  }

  /** One step on a batch (NHWC float32, int32 labels); the caller keeps the batch tensors. */
  async step(images: tf.Tensor4D, labels: tf.Tensor1D): Promise<RetrainStep> {
    const step = this.stepIndex;
    const lr = this.lrAt(step);
    const params = this.net.parameters();
    const byVarName = new Map([...params].map(([key, v]) => [v.name, key]));
    const stats: BnStatsRecord[] = [];
    const dropoutSeed = deriveRng(this.recipe.seed, 'retrain-dropout', step).nextUint32();
    let acc: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = this.net.forward(images, { training: true, collect: (r) => stats.push(r), dropoutSeed });
      acc = tf.keep(top1(logits, labels));
      return smoothedCrossEntropy(logits, labels, this.recipe.labelSmoothing);
    }, [...params.values()]);
    try {
      const named = new Map<string, tf.Tensor>();
      for (const [varName, g] of Object.entries(grads)) named.set(byVarName.get(varName)!, g);
      const scale = this.recipe.gradClipNorm === null ? null : clipScale([...named.values()], this.recipe.gradClipNorm);
      if (scale) {
        for (const [k, g] of named) named.set(k, tf.mul(g, scale));
        scale.dispose();
      }
      try {
        this.optimizer.apply(named, lr);
      } finally {
        if (this.recipe.gradClipNorm !== null) tf.dispose([...named.values()]);
      }
      for (const r of stats) r.bn.updateRunning(r.mean, r.variance, r.count, this.recipe.bnMomentum);
      const summary = tf.tidy(() => tf.stack([value, acc!]));
      const [loss, a] = await summary.data();
      summary.dispose();
      this.stepIndex = step + 1;
      return { step, loss, acc: a, lr };
    } finally {
      for (const r of stats) tf.dispose([r.mean, r.variance]);
      tf.dispose([value, ...Object.values(grads)]);
      if (acc) (acc as tf.Scalar).dispose();
    }
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }
}
