import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../testing/tfCpu.ts';
import { smoothedCrossEntropy, top1, topK } from './loss.ts';
import { cosineLr } from './schedule.ts';

beforeAll(useCpuBackend);

describe('smoothed cross-entropy', () => {
  it('matches a float64 reference', async () => {
    const logits = [
      [2, -1, 0.5],
      [0, 0, 3],
    ];
    const labels = [0, 1];
    const eps = 0.1;
    let ref = 0;
    logits.forEach((row, n) => {
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      row.forEach((v, k) => {
        const q = (k === labels[n] ? 1 - eps : 0) + eps / 3;
        ref -= (q * (v - lse)) / 2;
      });
    });
    const t = smoothedCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), eps);
    expect(await t.data()).toHaveLength(1);
    expect((await t.data())[0]).toBeCloseTo(ref, 5);
    const a = top1(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
    expect((await a.data())[0]).toBeCloseTo(0.5, 6);
    const a2 = topK(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'), 2);
    expect((await a2.data())[0]).toBeCloseTo(0.5, 6); // row 1: label 1 ties with 0 below 3 -> topk picks index 0 first
  });
});

describe('cosine schedule', () => {
  it('starts at lrMax, halves at mid-horizon, ends at lrMin and stays there', () => {
    expect(cosineLr(0, 100, 0.1)).toBeCloseTo(0.1, 12);
    expect(cosineLr(50, 100, 0.1, 0.02)).toBeCloseTo(0.06, 12);
    expect(cosineLr(100, 100, 0.1, 0.02)).toBeCloseTo(0.02, 12);
    expect(cosineLr(250, 100, 0.1, 0.02)).toBeCloseTo(0.02, 12);
    expect(cosineLr(25, 100, 1)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
  });
});
