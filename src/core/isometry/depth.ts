// The mean-field depth profile along a path: per module, the forward signal statistics of its
// output and the norm of a backpropagated gradient at its output, in inference mode (BN = affine
// map of its running statistics; calibrate first).
//
// - signalVar: variance of all elements of the module's output over the batch (one pooled
//   variance, biased); signalMeanSq: their mean square (the mean-field q^l).
// - gradNorm: a label-free backward signal. A seeded standard-normal cotangent R [N, classes] is
//   put on the logits and backpropagated; gradNorm = sqrt(sum(g^2) / N), the per-sample Frobenius
//   norm of d sum(logits * R) / d (module output), averaged in the square over the batch. At the
//   logits it is about sqrt(classes); along an isometric path it stays constant. (The gradient at
//   an intermediate output is obtained as the gradient with respect to a zero tensor added there.)
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../model/module.ts';
import { createRng } from '../rng.ts';

export interface DepthPoint {
  /** Position along the path (0 = stem) and the module's name. */
  index: number;
  name: string;
  /** Output shape without the batch axis. */
  shape: number[];
  signalVar: number;
  signalMeanSq: number;
  gradNorm: number;
}

/** Depth profile of a chain of modules on a batch; one packed read-back; leaks nothing. */
export async function depthProfile(modules: Module[], x: tf.Tensor4D, cotangentSeed = 0): Promise<DepthPoint[]> {
  const ctx = { training: false };
  const n = x.shape[0];
  // Forward: shapes and signal statistics.
  const shapes: number[][] = [];
  const fwd = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    let h: tf.Tensor = x;
    for (const m of modules) {
      h = m.forward(h, ctx);
      shapes.push(h.shape.slice(1));
      const { variance } = tf.moments(h);
      parts.push(tf.reshape(variance, [1]), tf.reshape(tf.mean(tf.square(h)), [1]));
    }
    return tf.concat(parts);
  });
  const rng = createRng(cotangentSeed);
  const last = shapes[shapes.length - 1];
  const rSize = n * last.reduce((a, b) => a * b, 1);
  const back = tf.tidy(() => {
    const r = tf.tensor(Float32Array.from({ length: rSize }, () => rng.normal()), [n, ...last]);
    const zeros = shapes.map((s) => tf.zeros([n, ...s]));
    const f = (...zs: tf.Tensor[]) => {
      let h: tf.Tensor = x;
      modules.forEach((m, i) => {
        h = tf.add(m.forward(h, ctx), zs[i]);
      });
      return tf.sum(tf.mul(h, r));
    };
    const gs = tf.grads(f)(zeros);
    return tf.stack(gs.map((g) => tf.sqrt(tf.div(tf.sum(tf.square(g)), n))));
  });
  const [fv, bv] = await Promise.all([fwd.data(), back.data()]);
  tf.dispose([fwd, back]);
  return modules.map((m, i) => ({ index: i, name: m.name, shape: shapes[i], signalVar: fv[2 * i], signalMeanSq: fv[2 * i + 1], gradNorm: bv[i] }));
}
