// BatchNorm with trainable affine parameters (gamma, beta as tfjs variables) and running
// statistics (non-trainable variables). Training mode normalises with batch statistics and hands
// them to a collector so the caller can update the running statistics after the backward pass;
// inference mode uses the running statistics. Conventions follow PyTorch: eps 1e-5, running
// statistics updated with momentum 0.1 and the unbiased batch variance.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../space/types.ts';
import { fusedBnTrain } from './fused/bnTrain.ts';
import { activate } from './ops.ts';

export interface BnStatsRecord {
  bn: BatchNorm;
  /** Batch mean and biased variance, kept (caller disposes). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** Number of elements each channel's statistics were computed over (N*H*W). */
  count: number;
}

/** Receives the batch statistics of every BN run in training mode during one forward pass. */
export type BnCollector = (rec: BnStatsRecord) => void;

export class BatchNorm {
  readonly gamma: tf.Variable<tf.Rank.R1>;
  readonly beta: tf.Variable<tf.Rank.R1>;
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  readonly runningVar: tf.Variable<tf.Rank.R1>;

  constructor(
    /** Parameter name within the supernet, e.g. "L3.c2.bn3". */
    readonly name: string,
    readonly channels: number,
    /** Prefix making tfjs's global variable names unique per supernet instance. */
    varPrefix: string,
    trainable: boolean,
    readonly eps = 1e-5,
  ) {
    // tidy disposes the initial-value tensors; the variables keep their data alive.
    [this.gamma, this.beta, this.runningMean, this.runningVar] = tf.tidy(() => [
      tf.variable(tf.ones([channels]), trainable, `${varPrefix}/${name}.gamma`),
      tf.variable(tf.zeros([channels]), trainable, `${varPrefix}/${name}.beta`),
      tf.variable(tf.zeros([channels]), false, `${varPrefix}/${name}.running_mean`),
      tf.variable(tf.ones([channels]), false, `${varPrefix}/${name}.running_var`),
    ]);
  }

  /** act(gamma * (x - mu) / sqrt(var + eps) + beta) over the channel (last) axis of NHWC or NC. */
  apply(x: tf.Tensor, training: boolean, collect?: BnCollector, act: Activation = 'none'): tf.Tensor {
    if (!training) {
      return activate(tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, this.eps), act);
    }
    const onStats = collect
      ? (mean: tf.Tensor1D, variance: tf.Tensor1D) => collect({ bn: this, mean: tf.keep(mean), variance: tf.keep(variance), count: x.size / this.channels })
      : undefined;
    return bnTrain(x, this.gamma, this.beta, act, this.eps, onStats);
  }

  /**
   * Running-statistics update from one batch: r <- (1 - m) r + m * batch, with the unbiased
   * variance (count / (count - 1)) as PyTorch does. Disposes nothing it did not create.
   */
  updateRunning(mean: tf.Tensor1D, variance: tf.Tensor1D, count: number, momentum: number): void {
    const unbias = count > 1 ? count / (count - 1) : 1;
    tf.tidy(() => {
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - momentum), tf.mul(mean, momentum)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - momentum), tf.mul(variance, momentum * unbias)));
    });
  }

  /** Reset running statistics to the initial state (mean 0, variance 1). */
  resetRunning(): void {
    tf.tidy(() => {
      this.runningMean.assign(tf.zerosLike(this.runningMean));
      this.runningVar.assign(tf.onesLike(this.runningVar));
    });
  }

  dispose(): void {
    this.gamma.dispose();
    this.beta.dispose();
    this.runningMean.dispose();
    this.runningVar.dispose();
  }
}

/**
 * Training-mode BN followed by the activation: the fused kernels where the backend has them
 * (fused/bnTrain.ts, webgpu), else the composed ops below; both give the same values.
 */
export function bnTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  act: Activation,
  eps: number,
  onStats?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor {
  return fusedBnTrain(x, gamma, beta, act, eps, onStats) ?? activate(batchNormTrain(x, gamma, beta, eps, onStats), act);
}

/**
 * Training-mode BN with its gradient written out (one custom op on the tape instead of the
 * moments + fusedBatchNorm chain, whose generic gradients cost about ten kernels per BN):
 *   xhat = (x - mean) * invStd,  y = gamma * xhat + beta,
 *   dbeta = sum(dy),  dgamma = sum(dy * xhat),
 *   dx = gamma * invStd * (dy - dbeta / n - xhat * dgamma / n)   (n = elements per channel).
 * Checked against central finite differences in bn.test.ts.
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
  onStats?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const n = x.size / x.shape[x.shape.length - 1];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const { mean, variance } = tf.moments(xIn, axes);
    onStats?.(mean as tf.Tensor1D, variance as tf.Tensor1D);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(xIn, mean), invStd);
    save([xhat, invStd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, sinv, sg] = saved;
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, sxhat), axes);
        const centred = tf.sub(tf.sub(dy, tf.div(dbeta, n)), tf.mul(sxhat, tf.div(dgamma, n)));
        return [tf.mul(centred, tf.mul(sg, sinv)), dgamma, dbeta];
      },
    };
  });
  return (op as (...t: tf.Tensor[]) => tf.Tensor)(x, gamma, beta);
}
