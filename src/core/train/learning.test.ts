// Does BN-only training learn the built-in synthetic data? The issue asks for "a test that trains a
// tiny config 50 steps and the loss goes down", meaning: goes down because the classes are learnt
// (last-10 loss below ln K, held-out accuracy above chance), not because the logit scale is
// recalibrated. It holds on the default setup, the 2-layer demo-mbv2 space (describe below); it does NOT hold on the
// full 21-layer bnnas-mbv2 space at test sizes, pinned as a known failure. This file trains
// testRecipe (bnnas-mbv2, 16 px, width 0.25, 4 classes, no dropout) with batch 16, mode `bn`,
// lr 0.1 (the default), cosine over 50 steps, with the `uniform` sampler: `fair` runs 7 paths a
// step (~3.4 s a step here, ~170 s for 50 steps), past this test's budget (~35 s in all on a
// 2-core machine, of which ~25 s is training).
//
// Measured here (seed 0, deterministic; the test prints the curve):
//   loss, means of steps 1-10, 11-20, ..., 41-50: 1.559 1.529 1.527 1.522 1.482 (ln 4 = 1.386);
//   train top-1 0.26 -> 0.28; val top-1 in inference mode (BN statistics recalibrated on 4 x 64
//   train images, SPOS-style) 0.230 0.301 0.242 on 3 paths x 256 val images (chance 0.25).
//   (Before the input-gradient lever of model/ops.ts, which changes rounding in this chaotic
//   network: 1.612 ... 1.517, val 0.285 0.281 0.234.)
// The first-10 -> last-10 drop is not even reliable: seeds 1-4 gave (before the lever) 1.446 -> 1.520,
// 1.534 -> 1.528, 1.595 -> 1.487, 1.591 -> 1.534. BN-only training does not learn the task in
// 50 steps. The `it.fails` below pins the requirement as a KNOWN FAILURE: it turns red,
// and must then become a plain `it`, the day the supernet does learn in 50 steps.
//
// Why (measured with throw-away probes; numbers in docs/synthetic-data.md): the frozen supernet at
// initialisation is in the chaotic phase of deep BN + ReLU networks (Yang et al. 2019, "A Mean
// Field Theory of Batch Normalization"). Class information that a linear read-out finds after the
// stem (ridge probe 0.91-0.97 on 4 classes) decays block by block to near chance at the last
// block (0.23-0.34; chance 0.25); the same image put into two different batches has pooled head
// features that correlate only 0.03-0.22 (pinned below); gradients explode backwards (RMS 4e-3
// at the head BN, 5-26 in the stem and first blocks, confirmed by finite differences), so one SGD
// learning rate is far too large for the early BNs and far too small for the head. The same decay
// shows at 32 and 64 px, width 1, he-normal init, on the all-identity path, and in fairnas-mbv2
// and spos-shufflenetv2. BN-only training did not beat chance in any of: SGD lr 0.001-1 (2 gives
// NaN), Adam lr 1e-3 / 1e-2, fair / uniform / one fixed path, batch 16 / 32, classifier gain 4,
// 300 and 1000 steps (best: fixed path, batch 32, 1000 steps: loss 1.39 = ln K, val 0.30), or a
// much easier data set (4 fixed templates + pixel noise, whose channel means alone classify 100%);
// it cannot even memorise one repeated batch of 16 in 50 steps (loss 1.60 -> 1.15, top-1 0.54).
// Training every weight (mode `all`, fixed path, lr 0.01) does learn a little: val 0.395 at 50.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrateModules } from '../isometry/calibrate.ts';
import { resolveRecipe, type TrainRecipe } from './recipe.ts';
import { bestArch } from '../search/score.ts';
import { getSpace } from '../space/spaces.ts';
import type { Arch } from '../space/types.ts';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useTrainBackend } from '../testing/tfCpu.ts';
import { top1 } from './loss.ts';
import { Trainer } from './trainer.ts';
import { readIndicators } from '../model/indicators.ts';

const STEPS = 50;
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

/** Top-1 of a path on `valBatches` val batches of 64, inference mode, after recalibration. */
function valAccuracy(trainer: Trainer, path: Arch, valBatches: number): number {
  const r: TrainRecipe = { ...trainer.recipe, batchSize: 64 };
  const calib = [1000, 1001, 1002, 1003].map((t) => syntheticTensors(r, t).x);
  calibrateModules(trainer.supernet.pathModules(path), calib); // SPOS: reset, cumulative average
  tf.dispose(calib);
  let acc = 0;
  for (let t = 0; t < valBatches; t++) {
    const { x, y } = syntheticTensors(r, t, 'val');
    acc += tf.tidy(() => top1(trainer.supernet.forward(x, path, { training: false }), y).dataSync()[0]);
    tf.dispose([x, y]);
  }
  return acc / valBatches;
}

interface RunResult {
  losses: number[];
  accs: number[];
  /** Val top-1 of three paths: all choice 0, all last choice, one sampled path. */
  valAcc: number[];
}

/** Trains `recipe` for STEPS steps on synthetic batches 0..STEPS-1, then evaluates three paths. */
async function trainAndEvaluate(recipe: TrainRecipe, tag: string): Promise<RunResult> {
  await useTrainBackend();
  const K = recipe.config.numClasses;
  const losses: number[] = [];
  const accs: number[] = [];
  let valAcc: number[] = [];
  const trainer = new Trainer(recipe);
  try {
    for (let s = 0; s < STEPS; s++) {
      const { x, y } = syntheticTensors(recipe, s);
      const res = await trainer.step(x, y);
      tf.dispose([x, y]);
      losses.push(res.loss);
      accs.push(res.acc);
    }
    const layers = trainer.supernet.resolved.layers;
    const paths: Arch[] = [layers.map(() => 0), layers.map((l) => l.choices[l.choices.length - 1]), trainer.nextPaths()[0]];
    valAcc = paths.map((p) => valAccuracy(trainer, p, 4));
  } finally {
    trainer.dispose();
  }
  const curve = Array.from({ length: STEPS / 10 }, (_, i) => mean(losses.slice(10 * i, 10 * i + 10)).toFixed(3));
  console.log(
    `[learning ${tag}] loss by 10 steps: ${curve.join(' ')} (ln K = ${Math.log(K).toFixed(3)}); ` +
      `train top-1 first/last 10: ${mean(accs.slice(0, 10)).toFixed(2)}/${mean(accs.slice(-10)).toFixed(2)}; ` +
      `val top-1 (3 paths): ${valAcc.map((a) => a.toFixed(3)).join(' ')} (chance ${(1 / K).toFixed(2)})`,
  );
  return { losses, accs, valAcc };
}

describe('BN-only training of the tiny bnnas-mbv2 supernet on the synthetic data (50 steps)', () => {
  const recipe = testRecipe({ batchSize: 16, sampler: 'uniform', totalSteps: STEPS });
  const K = recipe.config.numClasses;
  let run: RunResult;

  beforeAll(async () => {
    run = await trainAndEvaluate(recipe, 'bnnas-mbv2');
  }, 900_000);

  it('runs 50 finite steps without diverging', () => {
    const { losses } = run;
    expect(losses).toHaveLength(STEPS);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    // Measured 1.612 -> 1.517 (seed 0); bounded, but hovering above chance.
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) + 0.1);
    expect(Math.max(...losses)).toBeLessThan(2 * Math.log(K));
  });

  // KNOWN FAILURE (see the header): the full 21-layer space does not learn in 50 steps, in this
  // engine or in an independent PyTorch replica (docs/learnability.md). Make this a plain `it`
  // the day it does.
  it.fails('learns the classes: the loss drops below ln K and val top-1 is clearly above chance', () => {
    const { losses, valAcc } = run;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.05);
    expect(mean(losses.slice(-10))).toBeLessThan(Math.log(K) - 0.05);
    expect(mean(valAcc)).toBeGreaterThan(1 / K + 0.15);
  });
});

// The default setup (no URL parameters, `?preset=tiny`, the CLI's `--preset tiny`) is the demo:
// the 2-layer demo-mbv2 space at 16 px, width 0.25, 4 classes, batch 16, lr 0.3, 100 steps, with
// the lab's method unchanged (mode bn, fair sampler, orthogonal init, identity candidate on). It
// must visibly learn (the first-run promise): within its 100 fair steps the mean loss of the last 10 steps is at
// least 0.2 nats below the first 10, and the indicator's argmax subnet (dirf rule, BN statistics
// recalibrated) reaches held-out top-1 >= chance + 0.25. Measured margins: docs/learnability.md.
describe('the default setup (the demo) learns the synthetic data within its 100 fair steps', () => {
  const recipe = resolveRecipe('tiny');
  const K = recipe.config.numClasses;
  let losses: number[] = [];
  let best: Arch = [];
  let bestAcc = 0;

  beforeAll(async () => {
    await useTrainBackend();
    const trainer = new Trainer(recipe);
    try {
      for (let s = 0; s < recipe.totalSteps; s++) {
        const { x, y } = syntheticTensors(recipe, s);
        const res = await trainer.step(x, y);
        tf.dispose([x, y]);
        losses.push(res.loss);
      }
      best = bestArch(await readIndicators(trainer.supernet), 'dirf');
      bestAcc = valAccuracy(trainer, best, 4);
    } finally {
      trainer.dispose();
    }
    const curve = Array.from({ length: losses.length / 10 }, (_, i) => mean(losses.slice(10 * i, 10 * i + 10)).toFixed(3));
    console.log(`[learning demo] loss by 10 steps: ${curve.join(' ')}; argmax subnet ${best.join(',')} val top-1 ${bestAcc.toFixed(3)} (chance ${(1 / K).toFixed(2)})`);
  }, 1_200_000);

  it('is the demo space with the method unchanged', () => {
    expect(getSpace(recipe.space).role).toBe('demo');
    expect(recipe).toMatchObject({ mode: 'bn', sampler: 'fair', init: 'orthogonal', totalSteps: 100 });
    expect(recipe.config.identity).toBe(true);
  });

  it('the loss falls by >= 0.2 nats and the argmax subnet reaches chance + 0.25 held out', () => {
    expect(losses).toHaveLength(100);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    expect(mean(losses.slice(0, 10)) - mean(losses.slice(-10))).toBeGreaterThanOrEqual(0.2);
    expect(bestAcc).toBeGreaterThanOrEqual(1 / K + 0.25);
  });
});

describe('the frozen supernet at initialisation is chaotic (why BN-only training does not learn fast)', () => {
  it('an image keeps its stem features across batches but not its head features', async () => {
    await useTrainBackend();
    const recipe = testRecipe({ batchSize: 16 });
    const trainer = new Trainer(recipe);
    try {
      const path = trainer.supernet.resolved.layers.map(() => 0);
      const modules = trainer.supernet.pathModules(path);
      const [b0, b1, b2] = [0, 1, 2].map((t) => syntheticTensors(recipe, t).x);
      // The same 8 images, completed with 8 different images each time.
      const a = tf.concat([b0.slice(0, 8), b1.slice(0, 8)]);
      const b = tf.concat([b0.slice(0, 8), b2.slice(0, 8)]);
      const corr = (depth: number): number =>
        tf.tidy(() => {
          const feats = (x: tf.Tensor) => {
            let h: tf.Tensor = x;
            for (const m of modules.slice(0, depth)) h = m.forward(h, { training: true });
            const f = tf.reshape(h, [h.shape[0], -1]).slice(0, 8);
            return tf.sub(f, tf.mean(f, 1, true));
          };
          const fa = feats(a);
          const fb = feats(b);
          const c = tf.div(tf.sum(tf.mul(fa, fb), 1), tf.mul(tf.norm(fa, 'euclidean', 1), tf.norm(fb, 'euclidean', 1)));
          return tf.mean(c).dataSync()[0];
        });
      const stem = corr(1);
      const head = corr(modules.length - 1); // pooled head features, the classifier's input
      // Measured: stem 0.98-0.995, pooled head 0.03-0.22 (seeds 0-3).
      expect(stem).toBeGreaterThan(0.9);
      expect(head).toBeLessThan(0.5);
      tf.dispose([b0, b1, b2, a, b]);
    } finally {
      trainer.dispose();
    }
  });
});
