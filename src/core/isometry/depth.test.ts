import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWeight } from '../init/index.ts';
import type { Module } from '../model/module.ts';
import { conv } from '../model/ops.ts';
import { createRng } from '../rng.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { depthProfile } from './depth.ts';

beforeAll(useTrainBackend);

function orthoConv(c: number, gain: number, seed: number): { m: Module; w: tf.Tensor4D } {
  const w = tf.tensor4d(initWeight('orthogonal', { kind: 'conv', kernel: 1, cin: c, cout: c }, createRng(seed), gain), [1, 1, c, c]);
  return { w, m: { name: `pw${seed}`, bns: [], weights: [w], forward: (x) => conv(x as tf.Tensor4D, w, 1) } };
}

describe('depthProfile', () => {
  it('is flat along a chain of orthogonal 1x1 convs and scales by the gain otherwise; leaks nothing', async () => {
    const rng = createRng(7);
    const x = tf.tensor4d(Float32Array.from({ length: 4 * 3 * 3 * 6 }, () => rng.normal()), [4, 3, 3, 6]);
    const flat = [1, 2, 3].map((s) => orthoConv(6, 1, s));
    const before = tf.memory().numTensors;
    const p = await depthProfile(flat.map((f) => f.m), x, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(p.map((d) => d.name)).toEqual(['pw1', 'pw2', 'pw3']);
    for (const d of p) {
      expect(d.signalMeanSq).toBeCloseTo(p[0].signalMeanSq, 4);
      expect(d.gradNorm).toBeCloseTo(p[2].gradNorm, 4);
    }
    // gain 2 per layer: the forward second moment x4 per layer, the gradient at layer 0 is x2 per later layer.
    const scaled = [4, 5, 6].map((s) => orthoConv(6, 2, s));
    const q = await depthProfile(scaled.map((f) => f.m), x, 1);
    expect(q[1].signalMeanSq / q[0].signalMeanSq).toBeCloseTo(4, 3);
    expect(q[0].gradNorm / q[1].gradNorm).toBeCloseTo(2, 3);
    expect(q[1].gradNorm / q[2].gradNorm).toBeCloseTo(2, 3);
    tf.dispose([x, ...flat.map((f) => f.w), ...scaled.map((f) => f.w)]);
  });
});
