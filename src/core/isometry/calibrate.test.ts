import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from '../model/bn.ts';
import type { Module } from '../model/module.ts';
import { createRng } from '../rng.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { calibrateModules, restoreBnStats, snapshotBnStats } from './calibrate.ts';

beforeAll(useTrainBackend);

function batch(n: number, c: number, seed: number, shift: number, scale: number): { t: tf.Tensor4D; v: Float32Array } {
  const rng = createRng(seed);
  const v = Float32Array.from({ length: n * 2 * 2 * c }, (_, i) => shift * ((i % c) + 1) + scale * rng.normal());
  return { t: tf.tensor4d(v, [n, 2, 2, c]), v };
}

/** Per-channel mean and unbiased variance of NHWC values, float64. */
function moments(v: Float32Array, c: number): { mean: number[]; uvar: number[] } {
  const cnt = v.length / c;
  const mean = Array.from({ length: c }, (_, ch) => v.filter((_, i) => i % c === ch).reduce((a, b) => a + b, 0) / cnt);
  const uvar = mean.map((m, ch) => v.filter((_, i) => i % c === ch).reduce((a, b) => a + (b - m) ** 2, 0) / (cnt - 1));
  return { mean, uvar };
}

describe('calibrateModules', () => {
  it('sets running mean / var to the mean of batch means / unbiased variances, restorable, leak-free', async () => {
    const c = 3;
    const bn = new BatchNorm('t.bn', c, 'caltest', true);
    const m: Module = { name: 't', bns: [bn], weights: [], forward: (x, ctx) => bn.apply(x, ctx.training, ctx.collect) };
    const b1 = batch(4, c, 1, 1, 2);
    const b2 = batch(3, c, 2, -2, 0.5);
    // Give the BN non-default statistics first, to check the snapshot.
    bn.runningMean.assign(tf.tensor1d([7, 8, 9]));
    const snap = snapshotBnStats([bn]);
    const before = tf.memory().numTensors;
    const seen = calibrateModules([m], [b1.t, b2.t]);
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([bn]);
    const m1 = moments(b1.v, c);
    const m2 = moments(b2.v, c);
    const rm = await bn.runningMean.data();
    const rv = await bn.runningVar.data();
    for (let ch = 0; ch < c; ch++) {
      expect(rm[ch]).toBeCloseTo((m1.mean[ch] + m2.mean[ch]) / 2, 4);
      expect(rv[ch]).toBeCloseTo((m1.uvar[ch] + m2.uvar[ch]) / 2, 4);
    }
    // Inference mode is now the affine map of these statistics.
    const y = tf.tidy(() => m.forward(b1.t, { training: false }));
    const yv = await y.data();
    expect(yv[0]).toBeCloseTo((b1.v[0] - rm[0]) / Math.sqrt(rv[0] + 1e-5), 4);
    y.dispose();
    restoreBnStats(snap);
    expect(Array.from(await bn.runningMean.data())).toEqual([7, 8, 9]);
    expect(Array.from(await bn.runningVar.data())).toEqual([1, 1, 1]);
    expect(tf.memory().numTensors).toBe(before - 2); // restoring disposes the snapshot (2 tensors per BN)
    tf.dispose([b1.t, b2.t]);
    bn.dispose();
  });
});
