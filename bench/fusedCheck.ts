// Equality and leak check of the fused BN training op (src/core/model/fused/) against the composed
// ops, on the active backend (run by the bench worker in Chromium; e2e/fusedBn.spec.ts asserts on
// the figures). Reads back with await data() only (never dataSync: WebGPU). No Node APIs.
//   op:    per activation, forward output, batch mean / variance and the gradients to x, gamma,
//          beta of sum(y * dy): max |fused - composed| / max |composed| per quantity.
//   fair:  two BN-only trainers from the same state, one fused, one composed, 3 fair steps on the
//          same batch and paths: every BN parameter, running statistic and momentum buffer
//          compared element by element within 1e-4 relative plus a float32 noise floor
//          (bench/fairTolerance.ts), and how far the trainers moved in units of that floor.
//   leak:  tensors and compiled programs after step 2 and after the last of `leakSteps` fused steps.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { batchNormTrain } from '../src/core/model/bn.ts';
import { fusedBnActive, fusedBnTrain, setFusedBn } from '../src/core/model/fused/bnTrain.ts';
import { activate } from '../src/core/model/ops.ts';
import type { Activation } from '../src/core/space/types.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { FAIR_RTOL, maxAbs, maxAbsDiff, noiseFloor, toleranceRatio } from './fairTolerance.ts';
import { benchBatch, benchPaths, programCacheSize } from './stepBench.ts';

export interface FusedCheckResult {
  backend: string;
  fusedActive: boolean;
  /** act -> quantity -> relative error (max abs difference / max abs of the composed value). */
  op: Record<string, Record<string, number>>;
  /**
   * worstRatio: the largest toleranceRatio (bench/fairTolerance.ts) over every element compared,
   * <= 1 passes; minResolution: over the quantity kinds, how far the composed trainer moved from
   * its initial state in units of that kind's noise floor (small = the check could not see a bug).
   */
  fair: { steps: number; tensorsCompared: number; nTerms: number; worstRatio: number; worst: string; minResolution: number; resolution: Record<string, number>; maxRelErr: number; top?: string[] };
  leak: { steps: number; after2: { tensors: number; programs: number | null }; afterN: { tensors: number; programs: number | null } };
}

/**
 * The check's training runs are small: the tiny preset's demo-mbv2 (stem, fixed block, a reduction
 * and a normal layer with three MBConv candidates and the identity, and the head: every kind of
 * BN site of the MobileNetV2 spaces; half the candidates of micro-mbv2, so half the kernels to
 * compile on a software adapter), 8 px, quarter width, batch 4.
 */
export const FUSED_CHECK_OVERRIDE = { space: 'demo-mbv2' as const, config: { resolution: 8 }, batchSize: 4 };

/** max |a - b| / max |b| (the op check: one BN on random data, no quantity is pure noise). */
async function relErr(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [da, db] = await Promise.all([a.data(), b.data()]);
  let diff = 0;
  let scale = 0;
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
    // NHWC with more rows (105) than a workgroup has threads, not a multiple of it; and NC.
    for (const shape of [[3, 7, 5, 12], [7, 12]]) {
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
  if (leakSteps === 0) return { backend: tf.getBackend(), fusedActive: fusedBnActive(), op, fair: { steps: 0, tensorsCompared: 0, nTerms: 0, worstRatio: NaN, worst: '', minResolution: NaN, resolution: {}, maxRelErr: NaN }, leak: { steps: 0, after2: { tensors: 0, programs: null }, afterN: { tensors: 0, programs: null } } };
  // Fair steps from the same state (same seed = same initial weights), fused vs composed.
  const steps = 3;
  // Terms of the largest per-channel sum: the stem's BN sees batch x (resolution / 2)^2 values
  // (stride-2 stem; every later BN sees fewer). The noise floor of the comparison scales with it.
  const nTerms = recipe.batchSize * Math.ceil(recipe.config.resolution / 2) ** 2;
  const a = new Trainer({ ...recipe, mode: 'bn', sampler: 'fair' });
  const c = new Trainer({ ...recipe, mode: 'bn', sampler: 'fair' });
  const { x, y } = benchBatch(recipe);
  let fair: FusedCheckResult['fair'];
  let leak: FusedCheckResult['leak'];
  try {
    const paths = benchPaths(a.supernet.resolved.layers, 'fair', steps, 7);
    const init = await snapshot(c);
    for (let s = 0; s < steps; s++) {
      setFusedBn('on');
      await a.step(x, y, paths[s]);
      setFusedBn('off');
      await c.step(x, y, paths[s]);
    }
    setFusedBn('on');
    fair = await compareTrainers(a, c, init, nTerms, steps);

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

type Snapshot = Map<string, { kind: string; bn: string; values: Float32Array }>;

/** Every BN parameter, running statistic and momentum buffer of a trainer, read back, by name. */
async function snapshot(t: Trainer): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const [name, bn] of t.supernet.batchNorms) {
    for (const k of ['gamma', 'beta', 'runningMean', 'runningVar'] as const) out.set(`${name}.${k}`, { kind: k, bn: name, values: (await bn[k].data()) as Float32Array });
  }
  for (const [name, buf] of t.optimizer.state) out.set(`momentum ${name}`, { kind: `momentum ${name.slice(name.lastIndexOf('.') + 1)}`, bn: '', values: (await buf.data()) as Float32Array });
  return out;
}

/**
 * Fused trainer `a` against composed trainer `c` after the fair steps, element by element with
 * the tolerance of bench/fairTolerance.ts: atol = noise floor at the quantity's scale (the
 * largest |value| of its kind over the model; for a running mean, its BN's largest running
 * standard deviation, the scale of the data it averages).
 */
async function compareTrainers(a: Trainer, c: Trainer, init: Snapshot, nTerms: number, steps: number): Promise<FusedCheckResult['fair']> {
  const [fa, fc] = [await snapshot(a), await snapshot(c)];
  const kindScale = new Map<string, number>();
  for (const { kind, values } of fc.values()) kindScale.set(kind, Math.max(kindScale.get(kind) ?? 0, maxAbs(values)));
  const atolOf = (name: string): number => {
    const e = fc.get(name)!;
    if (e.kind !== 'runningMean') return noiseFloor(nTerms, kindScale.get(e.kind)!);
    return noiseFloor(nTerms, Math.sqrt(maxAbs(fc.get(`${e.bn}.runningVar`)!.values)));
  };
  let worstRatio = 0;
  let worst = '';
  let maxRelErr = 0;
  const all: Array<[string, number]> = [];
  const resolution: Record<string, number> = {};
  for (const [name, ec] of fc) {
    const ea = fa.get(name);
    const e0 = init.get(name);
    if (!ea || !e0) throw new Error(`fused check: ${name} missing on the fused trainer or the initial state`);
    const atol = atolOf(name);
    const r = toleranceRatio(ea.values, ec.values, atol, FAIR_RTOL);
    all.push([name, r]);
    if (r > worstRatio || worst === '') [worstRatio, worst] = [r, name];
    const scale = maxAbs(ec.values);
    maxRelErr = Math.max(maxRelErr, scale === 0 ? maxAbsDiff(ea.values, ec.values) : maxAbsDiff(ea.values, ec.values) / scale);
    resolution[ec.kind] = Math.max(resolution[ec.kind] ?? 0, maxAbsDiff(ec.values, e0.values) / atol);
  }
  const top = all.sort((u, v) => v[1] - u[1]).slice(0, 12).map(([n, e]) => `${n} ${e.toExponential(2)}`);
  return { steps, tensorsCompared: all.length, nTerms, worstRatio, worst, minResolution: Math.min(...Object.values(resolution)), resolution, maxRelErr, top };
}
