// Equality and leak check of the fused BN training op (src/core/model/fused/) against the composed
// ops, on the active backend (run by the bench worker in Chromium; e2e/fusedBn.spec.ts asserts on
// the figures). Reads back with await data() only (never dataSync: WebGPU). No Node APIs.
//   op:    per activation, forward output, batch mean / variance and the gradients to x, gamma,
//          beta of sum(y * dy): max |fused - composed| / max |composed| per quantity.
//   fair:  two BN-only trainers from the same state, one fused, one composed, 3 fair steps on the
//          same batch and paths: the largest such relative error over every BN parameter, running
//          statistic and momentum buffer.
//   leak:  tensors and compiled programs after step 2 and after the last of `leakSteps` fused steps.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { batchNormTrain } from '../src/core/model/bn.ts';
import { fusedBnActive, fusedBnTrain, setFusedBn } from '../src/core/model/fused/bnTrain.ts';
import { activate } from '../src/core/model/ops.ts';
import type { Activation } from '../src/core/space/types.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, programCacheSize } from './stepBench.ts';

export interface FusedCheckResult {
  backend: string;
  fusedActive: boolean;
  /** act -> quantity -> relative error (max abs difference / max abs of the composed value). */
  op: Record<string, Record<string, number>>;
  fair: { steps: number; tensorsCompared: number; maxRelErr: number; worst: string; top?: string[] };
  leak: { steps: number; after2: { tensors: number; programs: number | null }; afterN: { tensors: number; programs: number | null } };
}

/**
 * The check's training runs are small: micro-mbv2 (stem, fixed block, two searchable layers with
 * every candidate, identity included, and the head: every kind of BN site of the MobileNetV2
 * spaces), 8 px, batch 4.
 */
export const FUSED_CHECK_OVERRIDE = { space: 'micro-mbv2' as const, config: { resolution: 8 }, batchSize: 4 };

/**
 * max |a - b| / max(max |b|, floor). The floor is for running means: a BN that follows a linear
 * op of a BN output sees batch means that are float noise (exactly zero in exact arithmetic), so
 * their error is judged at the scale of the data, the largest running standard deviation.
 */
async function relErr(a: tf.Tensor, b: tf.Tensor, floor = 0): Promise<number> {
  const [da, db] = await Promise.all([a.data(), b.data()]);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < db.length; i++) {
    diff = Math.max(diff, Math.abs(da[i] - db[i]));
    scale = Math.max(scale, Math.abs(db[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Forward, statistics and gradients of one BN+act, fused or composed (the caller disposes). */
function bnWithGrads(fused: boolean, x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D, dy: tf.Tensor, act: Activation): tf.Tensor[] {
  const prev = setFusedBn(fused ? 'on' : 'off');
  try {
    const stats: tf.Tensor[] = [];
    const onStats = (m: tf.Tensor1D, v: tf.Tensor1D) => stats.push(tf.keep(m), tf.keep(v));
    const f = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor): tf.Tensor => {
      const y = fused ? fusedBnTrain(xi, gi as tf.Tensor1D, bi as tf.Tensor1D, act, 1e-5, onStats) : activate(batchNormTrain(xi, gi as tf.Tensor1D, bi as tf.Tensor1D, 1e-5, onStats), act);
      if (y === null) throw new Error(`fused BN is not active on backend ${tf.getBackend()}`);
      return y;
    };
    const y = tf.tidy(() => f(x, g, b));
    stats.length = 0;
    const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(f(xi, gi, bi), dy)))([x, g, b]);
    return [y, stats[0], stats[1], ...grads];
  } finally {
    setFusedBn(prev);
  }
}

export async function runFusedCheck(recipe: TrainRecipe, leakSteps: number): Promise<FusedCheckResult> {
  const op: FusedCheckResult['op'] = {};
  const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
  for (const act of ['none', 'relu', 'relu6'] as Activation[]) {
    for (const shape of [[2, 5, 3, 12], [7, 12], [4, 6, 6, 12]]) {
      const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), 3), 2); // off-centre, scaled
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const g = tf.randomUniform([12], 0.5, 2, 'float32', 3) as tf.Tensor1D;
      const b = tf.randomUniform([12], -1, 7, 'float32', 4) as tf.Tensor1D; // some channels above 6: relu6 clips
      const fused = bnWithGrads(true, x, g, b, dy, act);
      const comp = bnWithGrads(false, x, g, b, dy, act);
      const key = `${act} [${shape.join(',')}]`;
      op[key] = {};
      for (let i = 0; i < names.length; i++) op[key][names[i]] = await relErr(fused[i], comp[i]);
      tf.dispose([x, dy, g, b, ...fused, ...comp]);
    }
  }

  // leakSteps 0: the op check only (a quick look at the kernels).
  if (leakSteps === 0) return { backend: tf.getBackend(), fusedActive: fusedBnActive(), op, fair: { steps: 0, tensorsCompared: 0, maxRelErr: NaN, worst: '' }, leak: { steps: 0, after2: { tensors: 0, programs: null }, afterN: { tensors: 0, programs: null } } };
  // Fair steps from the same state (same seed = same initial weights), fused vs composed.
  const steps = 3;
  const a = new Trainer({ ...recipe, mode: 'bn', sampler: 'fair' });
  const c = new Trainer({ ...recipe, mode: 'bn', sampler: 'fair' });
  const { x, y } = benchBatch(recipe);
  let fair: FusedCheckResult['fair'];
  let leak: FusedCheckResult['leak'];
  try {
    const paths = benchPaths(a.supernet.resolved.layers, 'fair', steps, 7);
    for (let s = 0; s < steps; s++) {
      setFusedBn('on');
      await a.step(x, y, paths[s]);
      setFusedBn('off');
      await c.step(x, y, paths[s]);
    }
    setFusedBn('on');
    let maxRelErr = 0;
    let worst = '';
    let compared = 0;
    const all: Array<[string, number]> = [];
    const check = async (name: string, p: tf.Tensor, q: tf.Tensor | undefined, floor = 0) => {
      if (!q) throw new Error(`fused check: ${name} missing on the composed trainer`);
      const e = await relErr(p, q, floor);
      all.push([name, e]);
      compared++;
      if (e > maxRelErr || worst === '') [maxRelErr, worst] = [e, name];
    };
    const cb = c.supernet.batchNorms;
    for (const [name, bn] of a.supernet.batchNorms) {
      const o = cb.get(name);
      if (!o) throw new Error(`fused check: BN ${name} missing on the composed trainer`);
      for (const k of ['gamma', 'beta', 'runningVar'] as const) await check(`${name}.${k}`, bn[k], o[k]);
      const sd = Math.sqrt(Math.max(...(await o.runningVar.data())));
      await check(`${name}.runningMean`, bn.runningMean, o.runningMean, sd);
    }
    for (const [name, buf] of a.optimizer.state) await check(`momentum ${name}`, buf, c.optimizer.state.get(name));
    const top = all.sort((u, v) => v[1] - u[1]).slice(0, 12).map(([n, e]) => `${n} ${e.toExponential(2)}`);
    fair = { steps, tensorsCompared: compared, maxRelErr, worst, top };

    // Leak: fused BN-only one-path steps on trainer a.
    // Two paths in turn: every program they need exists after step 2, so growth after it is a leak.
    const one = benchPaths(a.supernet.resolved.layers, 'uniform', 2, 8);
    const point = () => ({ tensors: tf.memory().numTensors, programs: programCacheSize(tf.backend()) });
    let after2 = point();
    for (let s = 0; s < leakSteps; s++) {
      await a.step(x, y, one[s % 2]);
      if (s === 1) after2 = point();
    }
    leak = { steps: leakSteps, after2, afterN: point() };
  } finally {
    setFusedBn('on');
    a.dispose();
    c.dispose();
    tf.dispose([x, y]);
  }
  return { backend: tf.getBackend(), fusedActive: fusedBnActive(), op, fair, leak };
}
