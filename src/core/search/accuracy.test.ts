// Accuracy fitness (SPOS-style) and the asynchronous search driver.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSource } from '../data/source.ts';
import { DEFAULT_SYNTHETIC } from '../data/synthetic.ts';
import { restoreBnStats, snapshotBnStats } from '../isometry/calibrate.ts';
import type { BnStatsRecord } from '../model/bn.ts';
import { createRng } from '../rng.ts';
import { getSpace } from '../space/spaces.ts';
import type { Arch } from '../space/types.ts';
import { testRecipe } from '../testing/fixtures.ts';
import { useCpuBackend } from '../testing/tfCpu.ts';
import { Trainer } from '../train/trainer.ts';
import { AccuracyScorer } from './accuracy.ts';
import { evolutionSearch } from './evolution.ts';
import { runSearch } from './searchRun.ts';
import { readIndicators } from '../model/indicators.ts';

const recipe = testRecipe({ seed: 3 });
const space = getSpace(recipe.space);
const source = syntheticSource({ ...DEFAULT_SYNTHETIC, seed: 1, numClasses: 4, resolution: 16, valSize: 8 });
let trainer: Trainer;

beforeAll(async () => {
  await useCpuBackend();
  trainer = new Trainer(recipe);
  // non-trivial BN parameters and running statistics, so that a failed restore would show
  const rng = createRng(5);
  for (const bn of trainer.supernet.batchNorms.values()) {
    for (const v of [bn.gamma, bn.beta, bn.runningMean, bn.runningVar]) {
      const t = tf.tensor1d(Float32Array.from({ length: bn.channels }, () => (v === bn.runningVar || v === bn.gamma ? 0.5 + rng.uniform() : rng.normal() * 0.1)));
      v.assign(t);
      t.dispose();
    }
  }
});
afterAll(() => trainer.dispose());

async function runningStats(): Promise<number[]> {
  const out: number[] = [];
  for (const bn of trainer.supernet.batchNorms.values()) out.push(...(await bn.runningMean.data()), ...(await bn.runningVar.data()));
  return out;
}

const options = { calibrationBatches: 1, evalBatches: 2, batchSize: 4 };

describe('accuracy fitness', () => {
  it('equals an independent recalibrate-then-evaluate computation, and restores the supernet', async () => {
    const net = trainer.supernet;
    const arch: Arch = net.resolved.layers.map((l) => l.choices[l.layerIdx % l.choices.length]);
    const statsBefore = await runningStats();
    const before = tf.memory().numTensors;
    const scorer = await AccuracyScorer.create(net, source, options);
    const got = await scorer.score(arch);
    scorer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(await runningStats()).toEqual(statsBefore);

    // Reference: one calibration batch, so the cumulative average is that batch's mean and
    // unbiased variance (momentum-1 update); then inference on the two held-out batches of 4.
    const modules = net.pathModules(arch);
    const saved = snapshotBnStats(net.batchNorms.values());
    for (const m of modules) for (const bn of m.bns) bn.resetRunning();
    const cb = await source.trainBatch(0, 4);
    const cx = tf.tensor4d(cb.images, [4, 16, 16, 3]);
    const recs: BnStatsRecord[] = [];
    tf.tidy(() => net.forward(cx, arch, { training: true, collect: (r) => recs.push(r) }));
    for (const r of recs) {
      r.bn.updateRunning(r.mean, r.variance, r.count, 1);
      tf.dispose([r.mean, r.variance]);
    }
    let correct = 0;
    for (let i = 0; i < 2; i++) {
      const b = (await source.valBatch(i, 4))!;
      const x = tf.tensor4d(b.images, [4, 16, 16, 3]);
      const logits = await tf.tidy(() => net.forward(x, arch, { training: false })).array();
      logits.forEach((row, n) => (correct += row.indexOf(Math.max(...row)) === b.labels[n] ? 1 : 0));
      x.dispose();
    }
    cx.dispose();
    expect(got).toBe(correct / 8);
    restoreBnStats(saved); // the statistics the other tests start from
  });

  it('refuses data that does not fit the supernet', async () => {
    const other = syntheticSource({ ...DEFAULT_SYNTHETIC, seed: 1, numClasses: 5, resolution: 16 });
    await expect(AccuracyScorer.create(trainer.supernet, other)).rejects.toThrow(/5 classes; the supernet has 4/);
    await expect(AccuracyScorer.create(trainer.supernet, source, { evalBatches: 0 })).rejects.toThrow(/evalBatches must be an integer >= 1/);
  });
});

describe('runSearch', () => {
  it('with the indicator fitness gives exactly evolutionSearch', async () => {
    const table = await readIndicators(trainer.supernet);
    const input = { space, config: recipe.config, table, rule: 'dirf' as const, seed: 2, options: { generations: 3 } };
    const gens: number[] = [];
    const r = await runSearch({ ...input, onGeneration: (g) => void gens.push(g.generation) });
    const { fitness, stopped, ...rest } = r;
    expect([fitness, stopped]).toEqual(['indicator', false]);
    expect(rest).toEqual(evolutionSearch(input));
    expect(gens).toEqual([0, 1, 2]);
  });

  it('with the accuracy fitness: scores in [0, 1], leaks nothing, restores BN statistics, stops on request', async () => {
    const table = await readIndicators(trainer.supernet);
    const statsBefore = await runningStats();
    const before = tf.memory().numTensors;
    const opts = { populationSize: 2, numParents: 1, numMutation: 1, numCrossover: 1, generations: 2, topK: 4 };
    const input = { space, config: recipe.config, table, rule: 'dirf' as const, seed: 2, options: opts, fitness: 'accuracy' as const, accuracy: { supernet: trainer.supernet, source, options } };
    const r = await runSearch(input);
    expect(r.fitness).toBe('accuracy');
    expect(r.history).toHaveLength(2);
    expect(r.evaluated).toBeGreaterThanOrEqual(3);
    for (const c of r.top) {
      expect(c.fitness).toBeGreaterThanOrEqual(0);
      expect(c.fitness).toBeLessThanOrEqual(1);
      expect(Number.isInteger(c.fitness * 8)).toBe(true); // 8 held-out images
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(await runningStats()).toEqual(statsBefore);

    const ctl = new AbortController();
    let scored = 0;
    const stopped = await runSearch({ ...input, signal: ctl.signal, onCandidate: () => ++scored === 3 && ctl.abort() });
    expect(stopped.stopped).toBe(true);
    expect(stopped.history).toHaveLength(1); // generation 0 (2 candidates) completed, then the stop
    expect(stopped.evaluated).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(await runningStats()).toEqual(statsBefore);
    await expect(runSearch({ ...input, accuracy: undefined })).rejects.toThrow(/needs a supernet and data/);
  });
});
