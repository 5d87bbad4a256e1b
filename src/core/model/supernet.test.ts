import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { SPACE_IDS } from '../space/spaces.ts';
import { testRecipe } from '../testing/fixtures.ts';
import { centralDifference, useCpuBackend } from '../testing/tfCpu.ts';
import { smoothedCrossEntropy } from '../train/loss.ts';
import { samplePaths } from '../train/sampler.ts';
import { Supernet } from './supernet.ts';
import { type SupernetRecipe } from '../train/recipe.ts';
import { indicatorBn, readIndicators } from './indicators.ts';

beforeAll(useCpuBackend);
const nets: Supernet[] = [];
function build(o: Parameters<typeof testRecipe>[0] = {}): Supernet {
  const net = new Supernet(testRecipe(o) as SupernetRecipe);
  nets.push(net);
  return net;
}
afterEach(() => {
  for (const n of nets.splice(0)) n.dispose();
});

function input(n: number, res: number, seed = 1): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(Float32Array.from({ length: n * res * res * 3 }, () => rng.normal()), [n, res, res, 3]);
}

describe.each(SPACE_IDS)('supernet %s', (space) => {
  it('runs every candidate, in training and inference mode, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const net = build({ space });
    const x = input(4, 16);
    const paths = samplePaths(net.resolved.layers, 'fair', createRng(2));
    const afterBuild = tf.memory().numTensors;
    for (const path of paths) {
      for (const training of [true, false]) {
        const logits = tf.tidy(() => net.forward(x, path, { training }));
        expect(logits.shape).toEqual([4, 4]);
        expect((await logits.data()).every(Number.isFinite)).toBe(true);
        logits.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(afterBuild);
    x.dispose();
    net.dispose();
    nets.pop();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('frozen weights', () => {
  it('are a pure function of the recipe: same seed identical, other seed or init different', async () => {
    const a = build({ seed: 5 });
    const b = build({ seed: 5 });
    const c = build({ seed: 6 });
    const d = build({ seed: 5, init: 'he-normal' });
    for (const name of ['stem.conv', 'L3.c1.pw1', 'L3.c1.dw', 'fc.w']) {
      const wa = await a.weightParams.get(name)!.tensor.data();
      expect(await b.weightParams.get(name)!.tensor.data()).toEqual(wa);
      expect(await c.weightParams.get(name)!.tensor.data()).not.toEqual(wa);
      expect(await d.weightParams.get(name)!.tensor.data()).not.toEqual(wa);
    }
    // different layers of one net differ
    const w1 = await a.weightParams.get('L2.c0.pw2')!.tensor.data();
    const w2 = await a.weightParams.get('L3.c0.pw2')!.tensor.data();
    expect(w1.length).toBe(w2.length);
    expect(w1).not.toEqual(w2);
  });

  it('are plain tensors in modes bn and last-bn, variables in mode all', () => {
    const path = build().resolved.layers.map((l) => l.choices[l.choices.length - 1]);
    const bn = build({ mode: 'bn' });
    const last = build({ mode: 'last-bn' });
    const all = build({ mode: 'all' });
    const modules = bn.pathModules(path);
    const bnCount = modules.reduce((s, m) => s + m.bns.length, 0);
    const weightCount = modules.reduce((s, m) => s + m.weights.length, 0);
    expect(bn.trainableVariables(path)).toHaveLength(2 * bnCount);
    // last-bn: only the indicator BN of each searchable layer
    expect(last.trainableVariables(path)).toHaveLength(2 * path.length);
    for (const v of last.trainableVariables(path)) expect(v.name).toMatch(/\.L\d+\.c\d\.bn3\.(gamma|beta)$|\/L\d+\.(c\d\.bn3|id\.bn)\.(gamma|beta)$/);
    expect(all.trainableVariables(path)).toHaveLength(2 * bnCount + weightCount);
    for (const w of bn.weightParams.values()) expect(w.tensor instanceof tf.Variable).toBe(false);
  });
});

describe('block wiring', () => {
  it('inverted residual adds its input when stride 1 and cin = cout, and not otherwise', async () => {
    const net = build();
    const normal = net.resolved.layers.find((l) => l.normal)!;
    const reduction = net.resolved.layers.find((l) => !l.normal)!;
    for (const [layer, residual] of [
      [normal, true],
      [reduction, false],
    ] as const) {
      const bn3 = indicatorBn(net, layer.layerIdx, 0);
      bn3.gamma.assign(tf.zerosLike(bn3.gamma));
      const x = input(2, layer.inputSize, 3).slice([0, 0, 0, 0], [2, layer.inputSize, layer.inputSize, 1]);
      const xin = tf.tile(x, [1, 1, 1, layer.cin]) as tf.Tensor4D;
      const cand = net.candidate(layer.layerIdx, 0);
      const y = cand.forward(xin, { training: true });
      const expected = residual ? xin : tf.zeros(y.shape);
      expect(Math.max(...(await tf.abs(tf.sub(y, expected)).data()))).toBeLessThan(1e-5);
      tf.dispose([x, xin, y, expected]);
    }
  });

  it('identity candidate is BN(x): zero mean, unit variance per channel at gamma 1, beta 0', async () => {
    const net = build();
    const layer = net.resolved.layers.find((l) => l.normal)!;
    const m = net.candidate(layer.layerIdx, -1);
    const x = tf.add(tf.mul(input(4, layer.inputSize, 9).slice([0, 0, 0, 0], [4, layer.inputSize, layer.inputSize, 1]), 3), 2);
    const xin = tf.tile(x, [1, 1, 1, layer.cin]);
    const y = m.forward(xin, { training: true });
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    for (const v of await mean.data()) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const v of await variance.data()) expect(v).toBeCloseTo(1, 2);
    tf.dispose([x, xin, y, mean, variance]);
  });

  it('ShuffleNet stride-1 block passes the even channels through and puts the main branch after them', async () => {
    const net = build({ space: 'spos-shufflenetv2' });
    const layer = net.resolved.layers.find((l) => l.normal)!;
    const bn3 = indicatorBn(net, layer.layerIdx, 0);
    bn3.gamma.assign(tf.zerosLike(bn3.gamma)); // main branch output = relu(beta = 0) = 0
    const m = net.candidate(layer.layerIdx, 0);
    const c = layer.cin;
    const xin = input(2, layer.inputSize, 4).slice([0, 0, 0, 0], [2, layer.inputSize, layer.inputSize, 3]);
    const x = tf.tile(xin, [1, 1, 1, Math.ceil(c / 3)]).slice([0, 0, 0, 0], [2, layer.inputSize, layer.inputSize, c]);
    const y = m.forward(x, { training: true });
    const xv = await x.data();
    const yv = await y.data();
    const pixels = xv.length / c;
    for (let p = 0; p < pixels; p++) {
      for (let j = 0; j < c / 2; j++) {
        expect(yv[p * c + j]).toBeCloseTo(xv[p * c + 2 * j], 6);
        expect(yv[p * c + c / 2 + j]).toBe(0);
      }
    }
    tf.dispose([xin, x, y]);
  });
});

describe('gradients of the whole path', () => {
  // The last searchable layer: earlier BNs sit behind many ReLU kinks and tiny-batch statistics,
  // where the loss is too rough for finite differences in float32 (measured: the analytic and
  // numeric values agree here to ~1e-3, and diverge for layers more than ~3 blocks deep).
  it('d loss / d gamma of an indicator BN matches central finite differences', async () => {
    const net = build();
    const path = net.resolved.layers.map((l) => l.choices[(l.layerIdx * 3) % l.choices.length]);
    const x = input(8, 16, 12);
    const labels = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
    const last = path.length - 1;
    const bn = indicatorBn(net, last, path[last]);
    const loss = () => smoothedCrossEntropy(net.forward(x, path, { training: true }), labels, 0.1);
    const { grads, value } = tf.variableGrads(loss, [bn.gamma]);
    const analytic = await grads[bn.gamma.name].data();
    tf.dispose([value, ...Object.values(grads)]);
    const base = Float32Array.from(await bn.gamma.data());
    const f = (v: Float32Array) => {
      bn.gamma.assign(tf.tensor1d(v));
      return tf.tidy(() => loss().arraySync() as number);
    };
    let checked = 0;
    for (let ch = 0; ch < Math.min(4, base.length); ch++) {
      const numeric = centralDifference(f, base, ch, 1e-2);
      expect(Math.abs(analytic[ch] - numeric)).toBeLessThan(2e-3 + 5e-2 * Math.abs(numeric));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    tf.dispose([x, labels]);
  });
});

describe('indicators', () => {
  it('reads mean |gamma| of every candidate and identity BN, without leaking', async () => {
    const net = build();
    const bn = indicatorBn(net, 1, -1);
    bn.gamma.assign(tf.tensor1d(Array.from({ length: bn.channels }, (_, i) => (i % 2 ? -1 : 1) * (i + 1))));
    const before = tf.memory().numTensors;
    const table = await readIndicators(net);
    expect(tf.memory().numTensors).toBe(before);
    expect(table.layers).toHaveLength(21);
    const l1 = table.layers[1];
    expect(l1.choices).toEqual([-1, 0, 1, 2, 3, 4, 5]);
    const n = bn.channels;
    expect(l1.scores[0]).toBeCloseTo((n * (n + 1)) / 2 / n, 5);
    expect(l1.scores.slice(1)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(table.layers[0].choices).toEqual([0, 1, 2, 3, 4, 5]); // reduction layer: no identity
  });
});
