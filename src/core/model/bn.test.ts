import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { centralDifference, useCpuBackend } from '../testing/tfCpu.ts';
import { BatchNorm, type BnStatsRecord } from './bn.ts';

beforeAll(useCpuBackend);

const made: BatchNorm[] = [];
function makeBn(c: number): BatchNorm {
  const bn = new BatchNorm('t.bn', c, `bntest${made.length}`, true);
  made.push(bn);
  return bn;
}
afterEach(() => {
  for (const bn of made.splice(0)) bn.dispose();
});

// Independent reference in float64: y = gamma (x - mean) / sqrt(var + eps) + beta per channel.
function referenceBn(x: Float32Array, c: number, gamma: number[], beta: number[], eps: number): { y: number[]; mean: number[]; variance: number[] } {
  const n = x.length / c;
  const mean = Array(c).fill(0);
  const variance = Array(c).fill(0);
  for (let i = 0; i < x.length; i++) mean[i % c] += x[i] / n;
  for (let i = 0; i < x.length; i++) variance[i % c] += (x[i] - mean[i % c]) ** 2 / n;
  const y = Array.from(x, (v, i) => (gamma[i % c] * (v - mean[i % c])) / Math.sqrt(variance[i % c] + eps) + beta[i % c]);
  return { y, mean, variance };
}

const xValues = Float32Array.from({ length: 2 * 3 * 3 * 4 }, (_, i) => Math.sin(i * 1.7) * 2 + (i % 4) * 0.5);

describe('BatchNorm', () => {
  it('normalises with batch statistics in training and hands them to the collector', async () => {
    const bn = makeBn(4);
    bn.gamma.assign(tf.tensor1d([1, 2, 0.5, -1]));
    bn.beta.assign(tf.tensor1d([0, 0.1, -0.2, 0.3]));
    const recs: BnStatsRecord[] = [];
    const y = tf.tidy(() => bn.apply(tf.tensor4d(xValues, [2, 3, 3, 4]), true, (r) => recs.push(r)));
    const ref = referenceBn(xValues, 4, [1, 2, 0.5, -1], [0, 0.1, -0.2, 0.3], 1e-5);
    const got = await y.data();
    ref.y.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    expect(recs).toHaveLength(1);
    expect(recs[0].count).toBe(18);
    const mean = await recs[0].mean.data();
    ref.mean.forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 5));
    tf.dispose([y, recs[0].mean, recs[0].variance]);
  });

  it('updates running statistics PyTorch-style (momentum, unbiased variance) and uses them in inference', async () => {
    const bn = makeBn(4);
    const x = tf.tensor4d(xValues, [2, 3, 3, 4]);
    const recs: BnStatsRecord[] = [];
    tf.tidy(() => bn.apply(x, true, (r) => recs.push(r)));
    bn.updateRunning(recs[0].mean, recs[0].variance, recs[0].count, 0.1);
    const ref = referenceBn(xValues, 4, [1, 1, 1, 1], [0, 0, 0, 0], 1e-5);
    const rm = await bn.runningMean.data();
    const rv = await bn.runningVar.data();
    for (let ch = 0; ch < 4; ch++) {
      expect(rm[ch]).toBeCloseTo(0.1 * ref.mean[ch], 5);
      expect(rv[ch]).toBeCloseTo(0.9 + 0.1 * ref.variance[ch] * (18 / 17), 5);
    }
    const y = bn.apply(x, false);
    const got = await y.data();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo((xValues[i] - rm[i % 4]) / Math.sqrt(rv[i % 4] + 1e-5), 4);
    bn.resetRunning();
    expect(Array.from(await bn.runningVar.data())).toEqual([1, 1, 1, 1]);
    tf.dispose([x, y, recs[0].mean, recs[0].variance]);
  });

  it('gradients through batch statistics match central finite differences', async () => {
    const bn = makeBn(4);
    const w = Float32Array.from({ length: xValues.length }, (_, i) => Math.cos(i * 0.37));
    // Scalar loss L(x) = sum(w * relu(BN(x))) in training mode, in float32 tfjs and by differences.
    const lossOf = (x: tf.Tensor4D) => tf.sum(tf.mul(tf.relu(bn.apply(x, true)), tf.tensor4d(w, x.shape))) as tf.Scalar;
    const gx = tf.tidy(() => tf.grad((x: tf.Tensor) => lossOf(x as tf.Tensor4D))(tf.tensor4d(xValues, [2, 3, 3, 4])));
    const analytic = await gx.data();
    gx.dispose();
    const f = (v: Float32Array) => tf.tidy(() => lossOf(tf.tensor4d(v, [2, 3, 3, 4])).arraySync() as number);
    for (const i of [0, 5, 17, 30, 71]) {
      const numeric = centralDifference(f, xValues, i, 1e-2);
      expect(Math.abs(analytic[i] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('gradients with respect to gamma and beta match central finite differences', async () => {
    const bn = makeBn(4);
    bn.gamma.assign(tf.tensor1d([0.7, 1.3, -0.4, 1]));
    bn.beta.assign(tf.tensor1d([0.2, -0.1, 0.05, 0.3]));
    const x = tf.tensor4d(xValues, [2, 3, 3, 4]);
    const w = tf.tensor4d(Float32Array.from({ length: xValues.length }, (_, i) => Math.cos(i * 0.91)), [2, 3, 3, 4]);
    const loss = () => tf.sum(tf.mul(tf.relu6(bn.apply(x, true)), w)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [bn.gamma, bn.beta]);
    const dGamma = await grads[bn.gamma.name].data();
    const dBeta = await grads[bn.beta.name].data();
    tf.dispose(Object.values(grads));
    for (const [v, analytic] of [
      [bn.gamma, dGamma],
      [bn.beta, dBeta],
    ] as const) {
      const base = Float32Array.from(await v.data());
      const f = (vals: Float32Array) => {
        v.assign(tf.tensor1d(vals));
        return tf.tidy(() => loss().arraySync() as number);
      };
      for (let ch = 0; ch < 4; ch++) {
        const numeric = centralDifference(f, base, ch, 1e-2);
        expect(Math.abs(analytic[ch] - numeric)).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
      }
      v.assign(tf.tensor1d(base));
    }
    tf.dispose([x, w]);
  });

  it('leaks no tensors in a training-mode forward/backward', () => {
    const bn = makeBn(4);
    const x = tf.tensor4d(xValues, [2, 3, 3, 4]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(bn.apply(x, true)) as tf.Scalar, [bn.gamma, bn.beta]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
