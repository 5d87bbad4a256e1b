import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { encodeSnapshot, snapshotCheckpoint } from './checkpoint.ts';
import { smoothedCrossEntropy } from './loss.ts';
import { Trainer } from './trainer.ts';
import { indicatorBn } from '../model/indicators.ts';
import { syntheticBatch } from '../data/synthetic.ts';

beforeAll(useTrainBackend);
const made: Trainer[] = [];
function trainer(o: Parameters<typeof testRecipe>[0] = {}): Trainer {
  const t = new Trainer(testRecipe(o));
  made.push(t);
  return t;
}
afterEach(() => {
  for (const t of made.splice(0)) t.dispose();
});

async function values(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data());
}

describe('Trainer.stepOn', () => {
  it('uploads a batch of plain arrays, steps as step(x, y) does, and frees the upload', async () => {
    const a = trainer({ sampler: 'uniform' });
    const b = trainer({ sampler: 'uniform' });
    const r = a.recipe;
    const batch = syntheticBatch({ seed: r.seed, numClasses: r.config.numClasses, resolution: r.config.resolution, noise: r.data.noise, trainSize: r.data.trainSize, valSize: r.data.valSize }, 'train', 0, r.batchSize);
    const before = tf.memory().numTensors;
    const ra = await a.stepOn(batch);
    expect(tf.memory().numTensors).toBe(before);
    const { x, y } = syntheticTensors(b.recipe, 0);
    const rb = await b.step(x, y);
    tf.dispose([x, y]);
    expect(ra.loss).toBe(rb.loss);
    expect(ra.paths).toEqual(rb.paths);
    expect(a.stepIndex).toBe(1);
  });
});

describe('Trainer.step', () => {
  it('keeps the tensor count unchanged across steps (fair and uniform)', async () => {
    for (const sampler of ['uniform', 'fair'] as const) {
      const tr = trainer({ sampler });
      const { x, y } = syntheticTensors(tr.recipe, 0);
      const counts: number[] = [];
      for (let s = 0; s < (sampler === 'fair' ? 2 : 4); s++) {
        await tr.step(x, y);
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      tf.dispose([x, y]);
    }
  });

  it('fair step: m paths, every candidate of every layer trained, gradients of shared BNs summed over paths', async () => {
    // momentum 0 so the update is exactly -lr * (sum of the per-path gradients)
    const tr = trainer({ sampler: 'fair', momentum: 0, lr: 0.1 });
    const { x, y } = syntheticTensors(tr.recipe, 0);
    const paths = tr.nextPaths();
    expect(paths).toHaveLength(7);
    // independent reference: per-path gradient of the stem BN gamma, summed
    const stem = tr.supernet.batchNorms.get('stem.bn')!;
    let expected: Float32Array | null = null;
    for (const p of paths) {
      const { value, grads } = tf.variableGrads(
        () => smoothedCrossEntropy(tr.supernet.forward(x, p, { training: true }), y, tr.recipe.labelSmoothing),
        [stem.gamma],
      );
      const g = await values(grads[stem.gamma.name]);
      expected = expected ? expected.map((v, i) => v + g[i]) : g;
      tf.dispose([value, ...Object.values(grads)]);
    }
    const before = await values(stem.gamma);
    const indicatorsBefore = await Promise.all(tr.supernet.resolved.layers.flatMap((l) => l.choices.map((c) => values(indicatorBn(tr.supernet, l.layerIdx, c).beta))));
    const res = await tr.step(x, y, paths);
    expect(res.paths).toBe(paths);
    const after = await values(stem.gamma);
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i] - 0.1 * expected![i], 4));
    // every candidate's indicator BN moved (each is on exactly one of the 7 paths, or more)
    const indicatorsAfter = await Promise.all(tr.supernet.resolved.layers.flatMap((l) => l.choices.map((c) => values(indicatorBn(tr.supernet, l.layerIdx, c).beta))));
    indicatorsAfter.forEach((a, k) => expect(a).not.toEqual(indicatorsBefore[k]));
    tf.dispose([x, y]);
  });

  it("gradAccumulation 'mean' applies the average of the path gradients", async () => {
    const tr = trainer({ sampler: 'fair', momentum: 0, lr: 0.1, gradAccumulation: 'mean' });
    const { x, y } = syntheticTensors(tr.recipe, 1);
    const paths = tr.nextPaths().slice(0, 2);
    const head = tr.supernet.batchNorms.get('head.bn')!;
    let sum: Float32Array | null = null;
    for (const p of paths) {
      const { value, grads } = tf.variableGrads(() => smoothedCrossEntropy(tr.supernet.forward(x, p, { training: true }), y, tr.recipe.labelSmoothing), [head.beta]);
      const g = await values(grads[head.beta.name]);
      sum = sum ? sum.map((v, i) => v + g[i]) : g;
      tf.dispose([value, ...Object.values(grads)]);
    }
    const before = await values(head.beta);
    await tr.step(x, y, paths);
    const after = await values(head.beta);
    after.forEach((v, i) => expect(v).toBeCloseTo(before[i] - (0.1 * sum![i]) / 2, 5));
    tf.dispose([x, y]);
  });

  it('gradClipNorm bounds the global norm of the update', async () => {
    // momentum 0: the update is -lr * clipped gradient, so its global norm is at most lr * maxNorm
    const tr = trainer({ sampler: 'uniform', momentum: 0, lr: 0.5, gradClipNorm: 1e-3 });
    const { x, y } = syntheticTensors(tr.recipe, 2);
    const vars = tr.supernet.trainableVariables();
    const before = await Promise.all(vars.map(values));
    await tr.step(x, y);
    const after = await Promise.all(vars.map(values));
    let sq = 0;
    after.forEach((a, k) => a.forEach((v, i) => (sq += (v - before[k][i]) ** 2)));
    expect(Math.sqrt(sq)).toBeGreaterThan(0);
    expect(Math.sqrt(sq)).toBeLessThanOrEqual(0.5 * 1e-3 * (1 + 1e-3));
    tf.dispose([x, y]);
  });

  it('mode bn leaves frozen weights untouched; last-bn trains only indicator BNs; all trains weights', async () => {
    for (const mode of ['bn', 'last-bn', 'all'] as const) {
      const tr = trainer({ mode, sampler: 'uniform' });
      const { x, y } = syntheticTensors(tr.recipe, 0);
      const path = tr.supernet.resolved.layers.map((l) => l.choices[l.choices.length - 1]);
      const w0 = await values(tr.supernet.weightParams.get('L20.c5.pw1')!.tensor);
      const stem0 = await values(tr.supernet.batchNorms.get('stem.bn')!.beta);
      const ind0 = await values(indicatorBn(tr.supernet, 20, 5).beta);
      await tr.step(x, y, [path]);
      const w1 = await values(tr.supernet.weightParams.get('L20.c5.pw1')!.tensor);
      const stem1 = await values(tr.supernet.batchNorms.get('stem.bn')!.beta);
      const ind1 = await values(indicatorBn(tr.supernet, 20, 5).beta);
      expect(ind1).not.toEqual(ind0);
      if (mode === 'all') expect(w1).not.toEqual(w0);
      else expect(w1).toEqual(w0);
      if (mode === 'last-bn') expect(stem1).toEqual(stem0);
      else expect(stem1).not.toEqual(stem0);
      tf.dispose([x, y]);
    }
  });

  it('updates the running statistics of the BNs on the path only', async () => {
    const tr = trainer({ sampler: 'uniform' });
    const { x, y } = syntheticTensors(tr.recipe, 0);
    const path = tr.supernet.resolved.layers.map(() => 0);
    await tr.step(x, y, [path]);
    expect(Array.from(await indicatorBn(tr.supernet, 3, 0).runningVar.data()).some((v) => v !== 1)).toBe(true);
    expect(Array.from(await indicatorBn(tr.supernet, 3, 1).runningVar.data()).every((v) => v === 1)).toBe(true);
    tf.dispose([x, y]);
  });

  it('follows the cosine schedule and reports finite loss and accuracy in [0, 1]', async () => {
    const tr = trainer({ sampler: 'uniform', totalSteps: 4, lr: 0.2, lrMin: 0 });
    const { x, y } = syntheticTensors(tr.recipe, 0);
    const lrs: number[] = [];
    for (let s = 0; s < 3; s++) {
      const r = await tr.step(x, y);
      expect(r.step).toBe(s);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.acc).toBeGreaterThanOrEqual(0);
      expect(r.acc).toBeLessThanOrEqual(1);
      lrs.push(r.lr);
    }
    expect(lrs[0]).toBeCloseTo(0.2, 10);
    expect(lrs[2]).toBeCloseTo(0.1, 10);
    tf.dispose([x, y]);
  });
});

describe('Trainer.warmUp', () => {
  it('runs every choice of every layer and leaves the whole trainer state bit for bit unchanged', async () => {
    for (const mode of ['bn', 'all'] as const) {
      // weight decay on so the scratch update's decay term runs too (mode all)
      const tr = trainer({ mode, sampler: 'uniform', weightDecay: 4e-5 });
      const twin = trainer({ mode, sampler: 'uniform', weightDecay: 4e-5 });
      const { x, y } = syntheticTensors(tr.recipe, 0);
      await tr.step(x, y); // non-zero momentum buffers and running statistics
      await twin.step(x, y);
      const before = await encodeSnapshot(snapshotCheckpoint(tr));
      const tensors = tf.memory().numTensors;
      const seen = tr.supernet.resolved.layers.map(() => new Set<number>());
      const forward = vi.spyOn(tr.supernet, 'forward');
      const reports: Array<[number, number, number]> = [];
      const n = await tr.warmUp(x, y, (done, total) => reports.push([done, total, forward.mock.calls.length]));
      for (const [, path] of forward.mock.calls) path.forEach((c, l) => seen[l].add(c));
      forward.mockRestore();
      expect(n).toBe(Math.max(...tr.supernet.resolved.layers.map((l) => l.choices.length)));
      // progress before the first path and after each one (one forward a path)
      expect(reports).toEqual(Array.from({ length: n + 1 }, (_, i) => [i, n, i]));
      tr.supernet.resolved.layers.forEach((l, i) => expect([...seen[i]].sort((a, b) => a - b)).toEqual([...l.choices].sort((a, b) => a - b)));
      expect(tf.memory().numTensors).toBe(tensors);
      const after = await encodeSnapshot(snapshotCheckpoint(tr));
      expect(after.length).toBe(before.length);
      expect(after.every((b, i) => b === before[i])).toBe(true);
      // the next step is the one the twin (never warmed up) takes: same step index, path and loss
      const a = await tr.step(x, y);
      const b = await twin.step(x, y);
      expect(a.step).toBe(1);
      expect(a.paths).toEqual(b.paths);
      expect(a.loss).toBe(b.loss);
      tf.dispose([x, y]);
    }
  });
});
