import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Supernet } from '../model/supernet.ts';
import { type SupernetRecipe } from '../train/recipe.ts';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { analyseIsometry, compareInits, summariseModules } from './analyse.ts';

beforeAll(useTrainBackend);

async function allStats(net: Supernet): Promise<number[]> {
  const out: number[] = [];
  for (const bn of net.batchNorms.values()) out.push(...(await bn.runningMean.data()), ...(await bn.runningVar.data()));
  return out;
}

describe('analyseIsometry', () => {
  it('analyses every candidate of the requested layers, leaves BN statistics unchanged, leaks nothing', async () => {
    const recipe = testRecipe();
    const net = new Supernet(recipe as SupernetRecipe);
    const { x, y } = syntheticTensors(recipe, 0);
    try {
      const statsBefore = await allStats(net);
      const before = tf.memory().numTensors;
      const res = await analyseIsometry(net, x, { layers: [0, 2], tile: 2 });
      expect(tf.memory().numTensors).toBe(before);
      expect(await allStats(net)).toEqual(statsBefore);
      const expected = [0, 2].flatMap((l) => net.resolved.layers[l].choices.map((c) => [l, c]));
      expect(res.modules.map((m) => [m.layer, m.choice])).toEqual(expected);
      for (const m of res.modules) {
        expect(m.count).toBe(Math.min(m.rows, m.cols));
        expect(m.hist.counts.reduce((a, b) => a + b, 0) + m.hist.under + m.hist.over).toBe(m.count);
        expect(m.min).toBeLessThanOrEqual(m.meanSq);
        expect(m.max).toBeGreaterThanOrEqual(m.meanSq);
        expect(Number.isFinite(m.varSq)).toBe(true);
      }
      // The identity candidate of a normal layer, calibrated: J = diag(gamma / sqrt(var + eps)) with gamma = 1.
      const id = res.modules.find((m) => m.choice === -1);
      if (id) expect(id.max).toBeGreaterThan(0);
      expect(res.depth.length).toBe(net.pathModules(res.samplePath).length);
      for (const d of res.depth) {
        expect(d.signalVar).toBeGreaterThanOrEqual(0);
        expect(d.gradNorm).toBeGreaterThan(0);
      }
      // Calibrated BN outputs are standardised: the stem (conv-BN-ReLU6) output is not dead.
      expect(res.depth[0].signalMeanSq).toBeGreaterThan(0.05);
      // Deterministic.
      const again = await analyseIsometry(net, x, { layers: [0, 2], tile: 2 });
      expect(again.modules.map((m) => m.meanSq)).toEqual(res.modules.map((m) => m.meanSq));
      // Without the depth profile the walk stops after layer 2; a selection keeps what it names.
      const short = await analyseIsometry(net, x, { layers: [0, 2], tile: 2, depth: false, select: (l, c) => l === 2 || c === 0 });
      const kept = res.modules.filter((m) => m.layer === 2 || m.choice === 0);
      expect(short.modules.map((m) => [m.layer, m.choice, m.meanSq, m.varSq])).toEqual(kept.map((m) => [m.layer, m.choice, m.meanSq, m.varSq]));
      expect(short.depth).toEqual([]);
    } finally {
      tf.dispose([x, y]);
      net.dispose();
    }
  });

  it('compares initialisations on the same space, config and seed', async () => {
    const recipe = testRecipe();
    const { x, y } = syntheticTensors(recipe, 0);
    const before = tf.memory().numTensors;
    const cmp = await compareInits(recipe as SupernetRecipe, x, ['orthogonal', 'he-normal'], { layers: [1], choices: [0, 5], tile: 2, depth: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(cmp.map((c) => c.init)).toEqual(['orthogonal', 'he-normal']);
    expect(cmp[0].result.samplePath).toEqual(cmp[1].result.samplePath);
    for (const c of cmp) {
      expect(c.result.modules.map((m) => m.choice)).toEqual([0, 5]);
      expect(c.summary.count).toBe(2);
    }
    expect(cmp[0].result.modules[0].meanSq).not.toBe(cmp[1].result.modules[0].meanSq);
    tf.dispose([x, y]);
  });

  it('summarises module spectra', () => {
    const s = summariseModules([
      { meanSq: 1, varSq: 0 },
      { meanSq: 100, varSq: 1e4 },
    ]);
    expect(s.meanSqGeoMean).toBeCloseTo(10, 10);
    expect(s.log10MeanSqStd).toBeCloseTo(1, 10);
    expect(s.relVarMean).toBeCloseTo(0.5, 10);
    expect(s.fracNearOne).toBe(0.5);
  });
});
