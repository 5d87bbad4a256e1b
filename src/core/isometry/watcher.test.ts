import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.ts';
import { Trainer } from '../train/trainer.ts';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useCpuBackend } from '../testing/tfCpu.ts';
import { analyseIsometry } from './analyse.ts';
import { resolveWatchList, parseWatchList } from './watchList.ts';
import { SpectrumWatcher, WATCH_MAX_DIM, WATCH_TILE } from './watcher.ts';
import type { WatchFrame } from './watchSeries.ts';

beforeAll(useCpuBackend);

const STEPS = 3;
const recipe = testRecipe({ totalSteps: 10, sampler: 'uniform' }); // one path per step: quick on the cpu backend
const choicesOf = (t: Trainer) => t.supernet.resolved.layers.map((l) => [...l.choices]);

/** Trains STEPS steps; with a watcher, watches after every step. Returns the checkpoints after each step and the frames. */
async function train(watchList: string | null): Promise<{ checkpoints: Uint8Array[]; frames: WatchFrame[] }> {
  const trainer = new Trainer(recipe);
  const checkpoints: Uint8Array[] = [];
  const frames: WatchFrame[] = [];
  try {
    const watcher = watchList === null ? null : new SpectrumWatcher(trainer.supernet, { keys: resolveWatchList(parseWatchList(watchList), choicesOf(trainer)), share: 1 });
    for (let k = 0; k < STEPS; k++) {
      const { x, y } = syntheticTensors(recipe, k);
      try {
        await trainer.step(x, y);
        watcher?.addStep(1);
        if (watcher) {
          const before = tf.memory().numTensors;
          const f = await watcher.maybeWatch(x, k);
          expect(tf.memory().numTensors).toBe(before);
          if (f) frames.push(f);
        }
      } finally {
        tf.dispose([x, y]);
      }
      checkpoints.push(await saveCheckpoint(trainer));
    }
  } finally {
    trainer.dispose();
  }
  return { checkpoints, frames };
}

afterEach(() => tf.disposeVariables());

describe('SpectrumWatcher', () => {
  it('changes nothing of training, and streams what the on-demand lens finds at each checkpoint', async () => {
    const plain = await train(null);
    const watched = await train('1:-1,0;3');
    // identical checkpoint bytes after every step: BN statistics, parameters, optimiser buffers, step, sampler RNG
    for (let k = 0; k < STEPS; k++) expect(watched.checkpoints[k]).toEqual(plain.checkpoints[k]);

    expect(watched.frames.map((f) => f.step)).toEqual([0, 1, 2]);
    for (const k of [0, 2]) {
      const f = watched.frames[k];
      // the checkpoint saved after step k, loaded fresh, analysed on step k's batch at the watch's tile
      const t = loadCheckpoint(watched.checkpoints[k]);
      const { x, y } = syntheticTensors(recipe, k);
      try {
        const keys = new Set(f.modules.map((m) => `${m.layer}:${m.choice}`));
        const ref = await analyseIsometry(t.supernet, x, { layers: [1, 3], tile: WATCH_TILE, maxDim: WATCH_MAX_DIM, depth: false });
        const mods = ref.modules.filter((m) => keys.has(`${m.layer}:${m.choice}`));
        expect(mods.map((m) => `${m.layer}:${m.choice}`)).toEqual(f.modules.map((m) => `${m.layer}:${m.choice}`));
        expect(f.analysis.samplePath).toEqual(ref.samplePath);
        const bins = mods[0].hist.counts.length;
        mods.forEach((m, i) => {
          const w = f.modules[i];
          for (const key of ['meanSq', 'varSq', 'min', 'max'] as const) expect(Math.abs(w[key] - m[key])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(m[key])));
          expect([w.count, w.tile, w.rows, w.cols, w.under, w.over]).toEqual([m.count, m.tile, m.rows, m.cols, m.hist.under, m.hist.over]);
          expect(Array.from(f.histCounts.subarray(i * bins, (i + 1) * bins))).toEqual(m.hist.counts);
        });
      } finally {
        tf.dispose([x, y]);
        t.dispose();
      }
    }
    // layer 1 restricted to the identity and candidate 0; layer 3: every candidate
    expect(watched.frames[0].modules.filter((m) => m.layer === 1).map((m) => m.choice)).toEqual([-1, 0]);
    // training moved the spectra
    expect(watched.frames[2].modules[0].meanSq).not.toBe(watched.frames[0].modules[0].meanSq);
  }, 120_000);

  it('follows its cadence: share 0 never watches; an empty list never does', async () => {
    const trainer = new Trainer(recipe);
    const { x, y } = syntheticTensors(recipe, 0);
    try {
      const off = new SpectrumWatcher(trainer.supernet, { keys: [{ layer: 0, choice: 0 }], share: 0 });
      off.addStep(10);
      expect(await off.maybeWatch(x, 0)).toBeNull();
      const none = new SpectrumWatcher(trainer.supernet, { keys: [], share: 1 });
      expect(await none.maybeWatch(x, 0)).toBeNull();
      expect(() => new SpectrumWatcher(trainer.supernet, { keys: [{ layer: 0, choice: -1 }] })).toThrow('layer 0: no candidate -1');
      let clock = 0;
      const timed = new SpectrumWatcher(trainer.supernet, { keys: [{ layer: 0, choice: 0 }], share: 0.5, now: () => (clock += 7) });
      const f = await timed.maybeWatch(x, 0);
      expect(f?.ms).toBe(7);
      expect(f?.share).toBe(1); // nothing but watching reported yet
      timed.addStep(7);
      expect(timed.cadence.measuredShare).toBe(0.5);
    } finally {
      tf.dispose([x, y]);
      trainer.dispose();
    }
  });
});
