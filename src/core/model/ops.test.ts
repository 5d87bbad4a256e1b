import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useCpuBackend } from '../testing/tfCpu.ts';
import { Trainer } from '../train/trainer.ts';
import { conv, depthwise, frozenConv, inputGradWeight, setFrozenConvGrad } from './ops.ts';

beforeAll(useCpuBackend);
afterEach(() => {
  setFrozenConvGrad('forward');
});

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform() * 2 - 1);
}

/** d/dx of sum(f(x) * r) (r fixed), i.e. the vector-Jacobian product with cotangent r. */
async function vjp(f: (x: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, r: tf.Tensor): Promise<Float32Array> {
  const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(f(xi as tf.Tensor4D), r)))(x);
  const out = Float32Array.from(await g.data());
  g.dispose();
  return out;
}

const CASES = [
  { name: 'conv 1x1', k: 1, cin: 3, cout: 5, dw: false },
  { name: 'conv 3x3', k: 3, cin: 3, cout: 4, dw: false },
  { name: 'depthwise 3x3', k: 3, cin: 4, cout: 4, dw: true },
  { name: 'depthwise 5x5', k: 5, cin: 3, cout: 3, dw: true },
];

describe('frozenConv: the input gradient as a forward convolution over pre-transformed weights', () => {
  for (const c of CASES) {
    it(`${c.name}: same value and same input gradient as tfjs's own, and central differences agree`, async () => {
      const wShape: [number, number, number, number] = c.dw ? [c.k, c.k, c.cin, 1] : [c.k, c.k, c.cin, c.cout];
      const w = tf.tensor4d(randn(wShape.reduce((a, b) => a * b), 1), wShape);
      const wGrad = inputGradWeight(w, c.dw);
      const xs = randn(2 * 6 * 5 * c.cin, 2);
      const x = tf.tensor4d(xs, [2, 6, 5, c.cin]);
      const r = tf.tensor4d(randn(2 * 6 * 5 * c.cout, 3), [2, 6, 5, c.cout]);
      const native = (xi: tf.Tensor4D) => (c.dw ? depthwise(xi, w, 1) : conv(xi, w, 1));
      const ours = (xi: tf.Tensor4D) => frozenConv(xi, w, wGrad, c.dw);
      const before = tf.memory().numTensors;

      const yN = native(x);
      const yO = ours(x);
      expect(Array.from(await yO.data())).toEqual(Array.from(await yN.data()));
      tf.dispose([yN, yO]);
      const gNative = await vjp(native, x, r);
      const gOurs = await vjp(ours, x, r);
      for (let i = 0; i < gNative.length; i++) expect(gOurs[i]).toBeCloseTo(gNative[i], 5);
      // independent check: central differences of sum(f(x) * r) over the float32 forward
      const rs = await r.data();
      const objective = async (v: Float32Array): Promise<number> => {
        const xt = tf.tensor4d(v, x.shape);
        const y = native(xt);
        const yv = await y.data();
        tf.dispose([xt, y]);
        let s = 0;
        for (let i = 0; i < yv.length; i++) s += yv[i] * rs[i];
        return s;
      };
      for (const i of [0, 7, xs.length - 1]) {
        const h = 1e-2;
        const plus = Float32Array.from(xs);
        const minus = Float32Array.from(xs);
        plus[i] += h;
        minus[i] -= h;
        const fd = ((await objective(plus)) - (await objective(minus))) / (2 * h);
        expect(gOurs[i]).toBeCloseTo(fd, 2);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([w, wGrad, x, r]);
    });
  }

  it("'native' selects tfjs's own gradient (same numbers)", async () => {
    const w = tf.tensor4d(randn(9 * 2 * 3, 4), [3, 3, 2, 3]);
    const wGrad = inputGradWeight(w, false);
    const x = tf.tensor4d(randn(1 * 4 * 4 * 2, 5), [1, 4, 4, 2]);
    const r = tf.tensor4d(randn(1 * 4 * 4 * 3, 6), [1, 4, 4, 3]);
    const fwd = await vjp((xi) => frozenConv(xi, w, wGrad, false), x, r);
    expect(setFrozenConvGrad('native')).toBe('forward');
    const nat = await vjp((xi) => frozenConv(xi, w, wGrad, false), x, r);
    for (let i = 0; i < fwd.length; i++) expect(nat[i]).toBeCloseTo(fwd[i], 5);
    tf.dispose([w, wGrad, x, r]);
  });
});

describe('BN-only step kernels', () => {
  it('computes no filter gradient, and no native conv input gradient where the forward transform applies', async () => {
    const tr = new Trainer(testRecipe({ sampler: 'uniform', mode: 'bn' }));
    const { x, y } = syntheticTensors(tr.recipe, 0);
    const path = tr.supernet.resolved.layers.map((l) => l.choices[l.choices.length - 1]);
    const prof = await tf.profile(async () => {
      await tr.step(x, y, [path]);
    });
    const kernels = new Set(prof.kernelNames);
    expect(kernels.has('Conv2DBackpropFilter')).toBe(false);
    expect(kernels.has('DepthwiseConv2dNativeBackpropFilter')).toBe(false);
    // every stride-1 conv runs its input gradient as a forward Conv2D; the stem (stride 2) needs none
    expect(kernels.has('Conv2DBackpropInput')).toBe(false);
    expect(kernels.has('Conv2D')).toBe(true);
    tf.dispose([x, y]);
    tr.dispose();
  });
});
