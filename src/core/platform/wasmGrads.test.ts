// The wasm backend's bridged convolution gradients equal the tfjs cpu backend's native kernels
// (Conv2DBackpropFilter, DepthwiseConv2dNative BackpropInput / BackpropFilter) on tiny shapes,
// including strides 2, odd and even sizes, 'same' padding and a channel multiplier.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from './node.ts';

function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  depthwise: boolean;
  x: Shape4;
  w: Shape4;
  stride: number;
  pad: number | 'same' | 'valid';
}

/** Loss = sum(conv(x, w) * r) with fixed r; returns dL/dx and dL/dw as plain arrays. */
function grads(c: Case): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(seeded(c.x.reduce((a, b) => a * b), 1), c.x);
    const w = tf.tensor4d(seeded(c.w.reduce((a, b) => a * b), 2), c.w);
    const f = (xx: tf.Tensor, ww: tf.Tensor): tf.Scalar => {
      const y = c.depthwise ? tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad) : tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad);
      const r = tf.tensor(seeded(y.size, 3), y.shape);
      return tf.sum(tf.mul(y, r));
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function relErr(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

const CASES: Case[] = [
  { name: 'depthwise k3 s2 8x8', depthwise: true, x: [2, 8, 8, 3], w: [3, 3, 3, 1], stride: 2, pad: 1 },
  { name: 'depthwise k3 s2 9x9', depthwise: true, x: [2, 9, 9, 3], w: [3, 3, 3, 1], stride: 2, pad: 1 },
  { name: 'depthwise k5 s2 7x7', depthwise: true, x: [1, 7, 7, 2], w: [5, 5, 2, 1], stride: 2, pad: 2 },
  { name: 'depthwise k1 s2 7x7', depthwise: true, x: [1, 7, 7, 2], w: [1, 1, 2, 1], stride: 2, pad: 0 },
  { name: 'depthwise k3 s1 same, multiplier 2', depthwise: true, x: [2, 6, 5, 2], w: [3, 3, 2, 2], stride: 1, pad: 'same' },
  { name: 'conv k3 s1 6x6', depthwise: false, x: [2, 6, 6, 3], w: [3, 3, 3, 4], stride: 1, pad: 1 },
  { name: 'conv k3 s2 7x7', depthwise: false, x: [2, 7, 7, 3], w: [3, 3, 3, 4], stride: 2, pad: 1 },
  { name: 'conv k1 s1 valid', depthwise: false, x: [2, 4, 4, 5], w: [1, 1, 5, 3], stride: 1, pad: 0 },
];

describe('wasm convolution gradient bridge', () => {
  for (const c of CASES) {
    it(`${c.name}: dx and dw equal the cpu backend's within 1e-4 relative`, async () => {
      await useNodeBackend('cpu');
      const ref = grads(c);
      expect((await useNodeBackend('wasm')).backend).toBe('wasm');
      const got = grads(c);
      expect(got.dx.length).toBe(ref.dx.length);
      expect(got.dw.length).toBe(ref.dw.length);
      expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-4);
      expect(relErr(got.dw, ref.dw)).toBeLessThan(1e-4);
    });
  }

  it('leaves no tensors behind on wasm', async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    grads(CASES[1]);
    grads(CASES[6]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
