import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWeight } from '../init/index.ts';
import type { Module } from '../model/module.ts';
import { conv } from '../model/ops.ts';
import { Supernet } from '../model/supernet.ts';
import { type SupernetRecipe } from '../train/recipe.ts';
import { createRng } from '../rng.ts';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { calibrateModules } from './calibrate.ts';
import { chooseTile, cropTile, moduleJacobian } from './jacobian.ts';
import { squaredSingularValues } from './spectrum.ts';

beforeAll(useTrainBackend);

function randomInput(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

function conv1x1Module(cin: number, cout: number, gain: number): { m: Module; w: tf.Tensor4D } {
  const w = tf.tensor4d(initWeight('orthogonal', { kind: 'conv', kernel: 1, cin, cout }, createRng(cin * 100 + cout), gain), [1, 1, cin, cout]);
  return { w, m: { name: 'pw', bns: [], weights: [w], forward: (x) => conv(x as tf.Tensor4D, w, 1) } };
}

describe('moduleJacobian', () => {
  it.each([
    [8, 8],
    [12, 6],
    [6, 12],
  ])('an orthogonal 1x1 conv %i -> %i has every singular value equal to its gain', async (cin, cout) => {
    const gain = Math.SQRT2;
    const { m, w } = conv1x1Module(cin, cout, gain);
    const x = randomInput([1, 3, 3, cin], 1);
    const before = tf.memory().numTensors;
    const jac = await moduleJacobian(m, x, 20); // several chunks
    expect(tf.memory().numTensors).toBe(before);
    expect([jac.rows, jac.cols]).toEqual([9 * cout, 9 * cin]);
    const sv = Array.from(squaredSingularValues(jac.j, jac.rows, jac.cols), Math.sqrt);
    expect(sv.length).toBe(9 * Math.min(cin, cout));
    for (const s of sv) expect(Math.abs(s - gain)).toBeLessThan(1e-4);
    tf.dispose([x, w]);
  });

  it('an identity module gives all ones; an identity BN with fresh statistics 1/sqrt(1 + eps)', async () => {
    const x = randomInput([1, 2, 2, 5], 2);
    const id: Module = { name: 'id', bns: [], weights: [], forward: (t) => tf.clone(t) };
    const jac = await moduleJacobian(id, x);
    for (const v of squaredSingularValues(jac.j, jac.rows, jac.cols)) expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(1e-6);
    const net = new Supernet(testRecipe() as SupernetRecipe);
    try {
      const l = net.resolved.layers.find((r) => r.choices.includes(-1))!;
      const m = net.candidate(l.layerIdx, -1);
      const xi = randomInput([1, 2, 2, l.cin], 3);
      const j2 = await moduleJacobian(m, xi);
      for (const v of squaredSingularValues(j2.j, j2.rows, j2.cols)) expect(Math.abs(Math.sqrt(v) - 1 / Math.sqrt(1 + 1e-5))).toBeLessThan(1e-4);
      xi.dispose();
    } finally {
      net.dispose();
    }
    x.dispose();
  });

  it('agrees with central finite differences for a supernet candidate at its real input', async () => {
    const recipe = testRecipe();
    const net = new Supernet(recipe as SupernetRecipe);
    const { x, y } = syntheticTensors(recipe, 0);
    try {
      const layer = 1;
      const arch = net.resolved.layers.map((l) => l.choices[l.choices.length - 1]);
      arch[layer] = 0;
      const path = net.pathModules(arch);
      const upto = net.resolved.prefix.length + layer;
      calibrateModules(path.slice(0, upto + 1), [x]);
      const h = tf.tidy(() => {
        let t: tf.Tensor = x;
        for (const m of path.slice(0, upto)) t = m.forward(t, { training: false });
        return t as tf.Tensor4D;
      });
      const m = path[upto];
      const tile = cropTile(h, 0, 2);
      const jac = await moduleJacobian(m, tile, 16);
      // All columns at once: 2 * cols perturbed copies of the tile, one inference forward.
      const step = 1e-3; // float32: 1e-2 crosses a ReLU6 kink of this input, 1e-4 loses digits
      const base = await tile.data();
      const cols = jac.cols;
      const pert = new Float32Array(2 * cols * cols);
      for (let c = 0; c < cols; c++) {
        pert.set(base, (2 * c) * cols);
        pert.set(base, (2 * c + 1) * cols);
        pert[2 * c * cols + c] += step;
        pert[(2 * c + 1) * cols + c] -= step;
      }
      const out = tf.tidy(() => m.forward(tf.tensor4d(pert, [2 * cols, ...tile.shape.slice(1)] as [number, number, number, number]), { training: false }).reshape([2 * cols, jac.rows]));
      const o = await out.data();
      let maxErr = 0;
      let maxAbs = 0;
      for (let c = 0; c < cols; c++) {
        for (let r = 0; r < jac.rows; r++) {
          const fd = (o[2 * c * jac.rows + r] - o[(2 * c + 1) * jac.rows + r]) / (2 * step);
          maxErr = Math.max(maxErr, Math.abs(fd - jac.j[r * cols + c]));
          maxAbs = Math.max(maxAbs, Math.abs(jac.j[r * cols + c]));
        }
      }
      expect(maxAbs).toBeGreaterThan(0.05);
      expect(maxErr).toBeLessThan(2e-3 * Math.max(1, maxAbs));
      tf.dispose([h, tile, out]);
    } finally {
      tf.dispose([x, y]);
      net.dispose();
    }
  });

  it('chooses the largest tile that keeps J within maxDim', () => {
    const { m, w } = conv1x1Module(16, 16, 1);
    expect(chooseTile(m, 8, 16, { size: 6, maxDim: 1024 }).size).toBe(6); // 36*16 = 576
    expect(chooseTile(m, 8, 16, { size: 16, maxDim: 1024 }).size).toBe(8); // clipped to the map
    expect(chooseTile(m, 8, 16, { size: 6, maxDim: 300 }).size).toBe(4); // 16*16 = 256
    w.dispose();
  });
});
