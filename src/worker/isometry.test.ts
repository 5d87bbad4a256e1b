import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSource } from '../core/data/source.ts';
import { analyseIsometry, defaultSamplePath } from '../core/isometry/analyse.ts';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../core/isometry/spectrum.ts';
import { Supernet } from '../core/model/supernet.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { Trainer } from '../core/train/trainer.ts';
import { isometryTransfers, IsometryRunner, type IsometryProgress, type IsometryRequest, type TrainedSupernet } from './isometry.ts';
import { PRESET_SETTINGS, type TrainSettings } from './protocol/index.ts';
import { recipeFromSettings, syntheticDataOf } from '../core/train/recipe.ts';

beforeAll(useCpuBackend);

// bnnas-mbv2 at 16 px, quarter width, 4 classes, batch 4: layer 0 has 6 candidates (no identity).
const SETTINGS: TrainSettings = { ...PRESET_SETTINGS.tiny, space: 'bnnas-mbv2', lr: 0.1, resolution: 16, numClasses: 4, batchSize: 4, sampler: 'uniform', totalSteps: 5 };
const REQUEST: IsometryRequest = { preset: 'tiny', settings: SETTINGS, inits: ['orthogonal', 'he-normal'], layers: [0], tile: 2, useTrained: false, calibration: 'sequential' };

async function batchOf(source = syntheticSource(syntheticDataOf(recipeFromSettings('tiny', SETTINGS)))) {
  const b = await source.trainBatch(0, SETTINGS.batchSize);
  return tf.tensor4d(b.images, [b.size, b.resolution, b.resolution, 3]);
}

async function bnStats(net: Supernet): Promise<number[]> {
  const out: number[] = [];
  for (const bn of net.batchNorms.values()) out.push(...(await bn.runningMean.data()), ...(await bn.runningVar.data()));
  return out;
}

describe('IsometryRunner', () => {
  it('analyses one layer under two inits, streams progress, matches the core analysis, leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const progress: IsometryProgress[] = [];
    const out = await new IsometryRunner().run(REQUEST, null, (p) => progress.push(p));
    expect(tf.memory().numTensors).toBe(before);

    expect(out.stopped).toBe(false);
    expect(out).toMatchObject({ space: 'bnnas-mbv2', resolution: 16, widthMult: 0.25, numClasses: 4, seed: 0, batchSize: 4, calibration: 'sequential' });
    expect(Array.from(out.histEdges)).toEqual(histogramEdges(DEFAULT_HISTOGRAM));
    expect(out.runs.map((r) => [r.init, r.step, r.trained])).toEqual([['orthogonal', 0, false], ['he-normal', 0, false]]);
    const bins = out.histEdges.length - 1;

    // Independently: the core analysis of a freshly built supernet on the same batch.
    const recipe = recipeFromSettings('tiny', SETTINGS);
    const x = await batchOf();
    for (const run of out.runs) {
      const net = new Supernet({ ...recipe, init: run.init });
      const withDepth = run.init === 'orthogonal'; // one depth profile is enough to check the packing
      const ref = await analyseIsometry(net, x, { layers: [0], tile: 2, depth: withDepth });
      const pathLength = net.pathModules(run.samplePath).length;
      net.dispose();
      expect(run.samplePath).toEqual(ref.samplePath);
      expect(run.modules.map((m) => [m.layer, m.choice])).toEqual(ref.modules.map((m) => [m.layer, m.choice]));
      expect(run.modules.map((m) => m.meanSq)).toEqual(ref.modules.map((m) => m.meanSq));
      expect(run.modules.map((m) => m.varSq)).toEqual(ref.modules.map((m) => m.varSq));
      expect(run.histCounts.length).toBe(run.modules.length * bins);
      run.modules.forEach((m, k) => {
        const counts = Array.from(run.histCounts.subarray(k * bins, (k + 1) * bins));
        expect(counts).toEqual(ref.modules[k].hist.counts);
        expect(counts.reduce((a, b) => a + b, 0) + m.under + m.over).toBe(m.count);
      });
      expect(run.depthNames).toHaveLength(pathLength);
      if (withDepth) {
        expect(run.depthNames).toEqual(ref.depth.map((d) => d.name));
        expect(Array.from(run.depthSignalVar)).toEqual(ref.depth.map((d) => d.signalVar));
        expect(Array.from(run.depthGradNorm)).toEqual(ref.depth.map((d) => d.gradNorm));
      }
    }
    x.dispose();
    // The two inits give different spectra of the same modules.
    expect(out.runs[0].modules[0].meanSq).not.toBe(out.runs[1].modules[0].meanSq);

    const n = out.runs[0].modules.length;
    expect(n).toBe(6);
    // a start report (meanSq NaN) before each run's first module, then one per module
    expect(progress.map((p) => p.done)).toEqual([0, ...Array.from({ length: n }, (_, i) => i + 1), n, ...Array.from({ length: n }, (_, i) => n + i + 1)]);
    expect(progress.map((p) => Number.isNaN(p.meanSq))).toEqual([true, ...Array<boolean>(n).fill(false), true, ...Array<boolean>(n).fill(false)]);
    expect(progress[0]).toMatchObject({ run: 0, init: 'orthogonal', layer: 0, total: 2 * n });
    expect(progress.every((p) => p.total === 2 * n && p.runs === 2 && p.layer === 0)).toBe(true);
    expect(progress.map((p) => p.init)).toEqual([...Array(n + 1).fill('orthogonal'), ...Array(n + 1).fill('he-normal')]);

    // The arrays cross threads by transfer: after it they are detached here, intact there.
    const copy = structuredClone(out, { transfer: isometryTransfers(out) });
    expect(copy.runs[1].histCounts.length).toBe(n * bins);
    expect(out.runs[1].histCounts.length).toBe(0);
  }, 600_000); // generous: the shared 2-core machine is sometimes 20x loaded

  it('stops after the module in flight, keeps what was done, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const runner = new IsometryRunner();
    expect(runner.requestStop()).toBe(false); // nothing running
    const progress: IsometryProgress[] = [];
    const out = await runner.run(REQUEST, null, (p) => {
      progress.push(p);
      if (p.done === 2) expect(runner.requestStop()).toBe(true);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.stopped).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2]); // the start report, then two modules
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0].modules.map((m) => m.choice)).toEqual([0, 1]);
    expect(out.runs[0].depthNames).toEqual([]);
    expect(out.runs[0].samplePath).toHaveLength(21);
    expect(runner.running).toBe(false);
    expect(runner.requestStop()).toBe(false);
  }, 600_000);

  it('analyses the session supernet with its trained BN parameters and leaves its state unchanged', async () => {
    const recipe = recipeFromSettings('tiny', SETTINGS);
    const trainer = new Trainer(recipe);
    const source = syntheticSource(syntheticDataOf(recipe));
    const x = await batchOf(source);
    const y = tf.tensor1d((await source.trainBatch(0, SETTINGS.batchSize)).labels, 'int32');
    await trainer.step(x, y, [defaultSamplePath(trainer.supernet)]);
    y.dispose();
    const session: TrainedSupernet = { trainer, source, state: 'paused' };
    try {
      const stats = await bnStats(trainer.supernet);
      const before = tf.memory().numTensors;
      const req: IsometryRequest = { ...REQUEST, inits: [], useTrained: true, layers: [3] };
      const out = await new IsometryRunner().run(req, session, () => {});
      expect(tf.memory().numTensors).toBe(before);
      expect(await bnStats(trainer.supernet)).toEqual(stats);
      expect(out.runs.map((r) => [r.init, r.step, r.trained])).toEqual([['orthogonal', 1, true]]);
      const ref = await analyseIsometry(trainer.supernet, x, { layers: [3], tile: 2, depth: false });
      expect(out.runs[0].modules.map((m) => m.meanSq)).toEqual(ref.modules.map((m) => m.meanSq));
      // BN training moved the spectra away from those of the same supernet at initialisation.
      const fresh = new Supernet(recipe);
      const init = await analyseIsometry(fresh, x, { layers: [3], tile: 2, depth: false });
      fresh.dispose();
      expect(out.runs[0].modules.map((m) => m.meanSq)).not.toEqual(init.modules.map((m) => m.meanSq));

      await expect(new IsometryRunner().run(req, { ...session, state: 'running' }, () => {})).rejects.toThrow(/pause or stop training first/);
      await expect(new IsometryRunner().run(req, null, () => {})).rejects.toThrow(/build and train a session first/);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      x.dispose();
      trainer.dispose();
    }
  }, 600_000);

  it('rejects bad requests with a message naming the field, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const r = new IsometryRunner();
    await expect(r.run({ ...REQUEST, inits: [] }, null, () => {})).rejects.toThrow(/at least one initialisation/);
    await expect(r.run({ ...REQUEST, inits: ['xavier' as 'orthogonal'] }, null, () => {})).rejects.toThrow(/init "xavier" is unknown/);
    await expect(r.run({ ...REQUEST, tile: 0 }, null, () => {})).rejects.toThrow(/tile must be an integer >= 1/);
    await expect(r.run({ ...REQUEST, layers: [21] }, null, () => {})).rejects.toThrow(/layer 21 is not in 0..20/);
    expect(r.running).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);
});
