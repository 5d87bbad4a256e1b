// The BN-only fair training step. One step: sample the paths (m for `fair`, 1 for `uniform`),
// run each on the same batch with its own forward/backward, accumulate the gradients (summed as
// FairNAS does, or averaged: recipe.gradAccumulation),
// update the BN running statistics, then one SGD-momentum update. Loss and top-1 are read back
// with a single asynchronous `data()` call per step.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from './recipe.ts';
import { validateRecipe } from './recipe.ts';
import { createRng, deriveRng, type Rng } from '../rng.ts';
import type { BnStatsRecord } from '../model/bn.ts';
import { Supernet } from '../model/supernet.ts';
import type { Arch } from '../space/types.ts';
import { smoothedCrossEntropy, top1 } from './loss.ts';
import { SgdMomentum } from './optimizer.ts';
import { samplePaths } from './sampler.ts';
import { cosineLr } from './schedule.ts';
import type { Batch } from '../data/source.ts';
import { batchTensors } from './batchTensors.ts';

export interface StepResult {
  /** 0-based index of the step just taken. */
  step: number;
  /** Mean over the step's paths of the smoothed cross-entropy. */
  loss: number;
  /** Mean over the step's paths of top-1 accuracy on the batch. */
  acc: number;
  lr: number;
  paths: Arch[];
}

/** tfjs variables carry an instance prefix ("isonas7/L3.c2.bn3.gamma"); this strips it. */
export function paramKey(v: tf.Variable): string {
  return v.name.slice(v.name.indexOf('/') + 1);
}

export class Trainer {
  readonly supernet: Supernet;
  readonly optimizer: SgdMomentum;
  /** Source of path samples; its state is checkpointed. */
  readonly samplerRng: Rng;
  /** Number of steps taken so far. */
  stepIndex = 0;

  constructor(readonly recipe: TrainRecipe) {
    validateRecipe(recipe);
    this.supernet = new Supernet(recipe);
    const decayed = new Set([...this.supernet.weightParams.entries()].filter(([, w]) => w.trainable).map(([n]) => n));
    const params = new Map(this.supernet.trainableVariables().map((v) => [paramKey(v), v]));
    this.optimizer = new SgdMomentum(params, recipe.momentum, recipe.weightDecay, decayed);
    this.samplerRng = createRng(deriveRng(recipe.seed, 'sampler').nextUint32());
  }

  lrAt(step: number): number {
    return cosineLr(step, this.recipe.totalSteps, this.recipe.lr, this.recipe.lrMin);
  }

  /** Sample the paths of the next step (advances the sampler RNG). */
  nextPaths(): Arch[] {
    return samplePaths(this.supernet.resolved.layers, this.recipe.sampler, this.samplerRng);
  }

  /**
   * One training step on a batch (NHWC float32 images, int32 labels). The caller keeps
   * ownership of the batch tensors. `paths` overrides the sampler (tests, benchmarks).
   */
  /** One training step on a batch of plain arrays: uploads it, steps, and frees the upload. */
  async stepOn(batch: Batch, paths?: Arch[]): Promise<StepResult> {
    const { x, y } = batchTensors(batch);
    try {
      return await this.step(x, y, paths);
    } finally {
      tf.dispose([x, y]);
    }
  }

  async step(images: tf.Tensor4D, labels: tf.Tensor1D, paths: Arch[] = this.nextPaths()): Promise<StepResult> {
    const step = this.stepIndex;
    const r = await this.run(images, labels, paths, this.lrAt(step), this.recipe.bnMomentum, this.optimizer, step);
    this.stepIndex = step + 1;
    return r;
  }

  /**
   * Runs every candidate of every layer once on the given batch (the paths of one strict-fair
   * cover: path i takes choice i mod n of each layer's n choices, identity included) with the
   * step's exact kernels -- forward, backward, BN running-statistics update, optimizer update --
   * so that a GPU backend compiles every program training will need, and leaves the trainer's
   * state bit for bit as it was: the running statistics are updated with momentum 0
   * (r * 1 + m * 0 = r), the update runs with learning rate 0 on a scratch optimizer whose buffers
   * are thrown away (p - 0 * b = p), and neither the step count nor the sampler advances.
   * Returns the number of paths run. (Under the fair sampler the first step does this anyway.)
   * `onPath(done, total)` is called before the first path (done 0) and after each one.
   */
  async warmUp(images: tf.Tensor4D, labels: tf.Tensor1D, onPath?: (done: number, total: number) => void): Promise<number> {
    const layers = this.supernet.resolved.layers;
    const m = Math.max(...layers.map((l) => l.choices.length));
    const paths: Arch[] = Array.from({ length: m }, (_, i) => layers.map((l) => l.choices[i % l.choices.length]));
    const scratch = new SgdMomentum(this.optimizer.params, this.recipe.momentum, this.recipe.weightDecay, this.optimizer.decayed);
    try {
      onPath?.(0, paths.length);
      for (let i = 0; i < paths.length; i++) {
        await this.run(images, labels, [paths[i]], 0, 0, scratch, this.stepIndex);
        onPath?.(i + 1, paths.length);
      }
    } finally {
      scratch.dispose();
    }
    return paths.length;
  }

  private async run(images: tf.Tensor4D, labels: tf.Tensor1D, paths: Arch[], lr: number, bnMomentum: number, optimizer: SgdMomentum, step: number): Promise<StepResult> {
    const grads = new Map<string, tf.Tensor>();
    const losses: tf.Tensor[] = [];
    const accs: tf.Tensor[] = [];
    try {
      for (let i = 0; i < paths.length; i++) {
        const path = paths[i];
        const vars = this.supernet.trainableVariables(path);
        const stats: BnStatsRecord[] = [];
        const dropoutSeed = deriveRng(this.recipe.seed, 'dropout', step, i).nextUint32();
        const { value, grads: g } = tf.variableGrads(() => {
          const logits = this.supernet.forward(images, path, { training: true, collect: (r) => stats.push(r), dropoutSeed });
          accs.push(tf.keep(top1(logits, labels)));
          return smoothedCrossEntropy(logits, labels, this.recipe.labelSmoothing);
        }, vars);
        losses.push(value);
        for (const v of vars) {
          const gi = g[v.name];
          if (!gi) continue;
          const key = paramKey(v);
          const prev = grads.get(key);
          if (prev) {
            grads.set(key, tf.add(prev, gi));
            prev.dispose();
            gi.dispose();
          } else grads.set(key, gi);
        }
        for (const r of stats) {
          r.bn.updateRunning(r.mean, r.variance, r.count, bnMomentum);
          r.mean.dispose();
          r.variance.dispose();
        }
      }
      if (this.recipe.gradAccumulation === 'mean' && paths.length > 1) {
        for (const [key, g] of grads) {
          grads.set(key, tf.div(g, paths.length));
          g.dispose();
        }
      }
      if (this.recipe.gradClipNorm !== null && grads.size > 0) clipGlobalNorm(grads, this.recipe.gradClipNorm);
      if (grads.size > 0) optimizer.apply(grads, lr);
      const summary = tf.tidy(() => tf.stack([tf.mean(tf.stack(losses)), tf.mean(tf.stack(accs))]));
      const [loss, acc] = await summary.data();
      summary.dispose();
      return { step, loss, acc, lr, paths };
    } finally {
      for (const t of grads.values()) t.dispose();
      tf.dispose(losses);
      tf.dispose(accs);
    }
  }

  dispose(): void {
    this.supernet.dispose();
    this.optimizer.dispose();
  }
}

/**
 * Scale every gradient by min(1, maxNorm / ||g||) where ||g|| is the L2 norm over all of them
 * (PyTorch's clip_grad_norm_), in place in the map; the norm stays on the device.
 */
function clipGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): void {
  const scale = tf.tidy(() => {
    const sq = tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))));
    return tf.minimum(tf.scalar(1), tf.div(maxNorm, tf.add(tf.sqrt(sq), 1e-6)));
  });
  for (const [key, g] of grads) {
    grads.set(key, tf.mul(g, scale));
    g.dispose();
  }
  scale.dispose();
}
