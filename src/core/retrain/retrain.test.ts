// The standalone subnet: structure and cost, gradients against finite differences, no leaks,
// checkpoint round trip and refusals. (Learning is in learning.test.ts.)
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSource } from '../data/source.ts';
import { DEFAULT_SYNTHETIC } from '../data/synthetic.ts';
import { createRng } from '../rng.ts';
import { archCost, getSpace, resolveSpace, SPACE_IDS } from '../space/index.ts';
import type { Arch, SpaceConfig, SpaceId } from '../space/types.ts';
import { centralDifference, useTrainBackend } from '../testing/tfCpu.ts';
import { testRecipe } from '../testing/fixtures.ts';
import { saveCheckpoint } from '../train/checkpoint.ts';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from '../train/checkpointCodec.ts';
import { smoothedCrossEntropy } from '../train/loss.ts';
import { Trainer } from '../train/trainer.ts';
import { loadSubnetCheckpoint, readSubnetCheckpointMeta, saveSubnetCheckpoint } from './checkpoint.ts';
import { evaluateSubnet } from './evaluate.ts';
import { resolveRetrainRecipe, type RetrainRecipe } from './recipe.ts';
import { runRetrain } from './run.ts';
import { Subnet } from './subnet.ts';
import { decayedWeights, SubnetTrainer } from './trainer.ts';

beforeAll(useTrainBackend);

const config: SpaceConfig = { resolution: 8, widthMult: 0.25, numClasses: 3, identity: true };
const rs = resolveSpace(getSpace('bnnas-mbv2'), config);
/** The shallowest subnet: identity wherever allowed, k3e3 on the reduction layers. */
const SHALLOW: Arch = rs.layers.map((l) => l.choices[0]);
const source = syntheticSource({ ...DEFAULT_SYNTHETIC, seed: 2, numClasses: 3, resolution: 8, valSize: 24 });
afterAll(() => source.dispose());

function recipe(o: Partial<RetrainRecipe> = {}): RetrainRecipe {
  return resolveRetrainRecipe({ space: 'bnnas-mbv2', config, arch: SHALLOW, batchSize: 6, totalSteps: 4, dropout: 0, ...o });
}

async function batchTensors(step: number, n: number) {
  const b = await source.trainBatch(step, n);
  return { x: tf.tensor4d(b.images, [b.size, b.resolution, b.resolution, 3]), y: tf.tensor1d(b.labels, 'int32') };
}

describe('Subnet', () => {
  it.each(SPACE_IDS)('%s: has exactly the parameters the cost model reports, identity layers dropped', (id: SpaceId) => {
    const sp = getSpace(id);
    const cfg = { resolution: 16, widthMult: id === 'spos-shufflenetv2' ? 0.5 : 0.25, numClasses: 5, identity: true };
    const r = resolveSpace(sp, cfg);
    const rng = createRng(7);
    const arch = r.layers.map((l) => l.choices[rng.int(l.choices.length)]);
    const net = new Subnet(resolveRetrainRecipe({ space: id, config: cfg, arch }));
    try {
      expect(net.numParams).toBe(archCost(sp, cfg, arch).params);
      const blocks = net.modules.length - r.prefix.length - r.suffix.length;
      expect(blocks).toBe(arch.filter((c) => c !== -1).length);
      for (const v of net.parameters().values()) expect(v.trainable).toBe(true);
    } finally {
      net.dispose();
    }
  });

  it('decays conv and classifier weights, never BN or the bias; depthwise by option', () => {
    const net = new Subnet(recipe());
    try {
      const all = decayedWeights(net, recipe());
      expect(all.has('fc.w')).toBe(true);
      expect(all.has('fc.b')).toBe(false);
      expect(all.has('stem.conv')).toBe(true);
      expect(all.has('fixed0.dw')).toBe(true);
      expect([...all].some((n) => n.includes('bn'))).toBe(false);
      const noDw = decayedWeights(net, recipe({ decayDepthwise: false }));
      expect(noDw.has('fixed0.dw')).toBe(false);
      expect(noDw.has('stem.conv')).toBe(true);
    } finally {
      net.dispose();
    }
  });

  it('zeroInitResidual starts every residual block as the identity', async () => {
    const arch = rs.layers.map((l) => (l.normal ? 0 : 1));
    const net = new Subnet(recipe({ arch, zeroInitResidual: true }));
    try {
      const layer = rs.layers.find((l) => l.normal)!;
      const block = net.modules.find((m) => m.name === `L${layer.layerIdx}.c0`)!;
      const x = tf.randomNormal([2, layer.inputSize, layer.inputSize, layer.cin], 0, 1, 'float32', 3) as tf.Tensor4D;
      const y = block.forward(x, { training: true });
      expect(Math.max(...(await tf.abs(tf.sub(y, x)).data()))).toBeLessThan(1e-6);
      tf.dispose([x, y]);
    } finally {
      net.dispose();
    }
  });

  it('refuses an invalid architecture, naming the layer', () => {
    expect(() => resolveRetrainRecipe({ space: 'bnnas-mbv2', config, arch: SHALLOW.map(() => -1) })).toThrow(/layer 0: identity/);
    expect(() => recipe({ batchSize: 1 })).toThrow(/batchSize must be an integer >= 2/);
  });
});

describe('gradients of the whole subnet', () => {
  it('d loss / d weight matches central finite differences (classifier, head, last block, stem BN)', async () => {
    const net = new Subnet(recipe({ seed: 4 }));
    const { x, y } = await batchTensors(0, 6);
    try {
      const params = net.parameters();
      const loss = () => smoothedCrossEntropy(net.forward(x, { training: true }), y, 0.1);
      const lastBlock = net.modules[net.modules.length - 4].name; // before head, pool, fc
      const names = ['fc.w', 'fc.b', 'head.conv', `${lastBlock}.pw2`, 'stem.bn.gamma'];
      const vars = names.map((n) => params.get(n)!);
      const { value, grads } = tf.variableGrads(loss, vars);
      value.dispose();
      let checked = 0;
      for (const [k, v] of vars.entries()) {
        // h: 1e-3 on weights (he-normal head weights are ~0.03, so 1e-2 crosses ReLU6 kinks);
        // 1e-2 on the stem BN gamma, whose gradient is small (float32 loss noise dominates at 1e-3)
        const h = names[k].endsWith('gamma') ? 1e-2 : 1e-3;
        const analytic = await grads[v.name].data();
        const base = Float32Array.from(await v.data());
        const f = (vals: Float32Array) => {
          const t = tf.tensor(vals, v.shape);
          v.assign(t);
          t.dispose();
          return tf.tidy(() => loss().arraySync() as number);
        };
        // three coordinates with the largest gradients (well above float32 noise)
        const idx = Array.from(analytic.keys()).sort((a, b) => Math.abs(analytic[b]) - Math.abs(analytic[a])).slice(0, 3);
        for (const i of idx) {
          const numeric = centralDifference(f, base, i, h);
          expect(Math.abs(analytic[i] - numeric), `${names[k]}[${i}]`).toBeLessThan(1e-3 + 3e-2 * Math.abs(numeric));
          checked++;
        }
        f(base);
      }
      tf.dispose(Object.values(grads));
      expect(checked).toBe(15);
    } finally {
      tf.dispose([x, y]);
      net.dispose();
    }
  });
});

describe('training, evaluation and checkpoints', () => {
  it('a step changes every parameter, leaks nothing, and evaluation leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const tr = new SubnetTrainer(recipe());
    const snapshot = new Map<string, Float32Array>();
    for (const [n, v] of tr.net.parameters()) snapshot.set(n, Float32Array.from(await v.data()));
    const afterBuild = tf.memory().numTensors;
    const { x, y } = await batchTensors(0, 6);
    const s = await tr.step(x, y);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(afterBuild);
    expect(s.step).toBe(0);
    expect(Number.isFinite(s.loss)).toBe(true);
    for (const [n, v] of tr.net.parameters()) expect(await v.data(), n).not.toEqual(snapshot.get(n));
    const e = await evaluateSubnet(tr.net, source, { batchSize: 8, maxBatches: null });
    expect(e.images).toBe(24);
    expect(e.top5).toBe(1); // 3 classes
    expect(tf.memory().numTensors).toBe(afterBuild);
    tr.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warm-up scales the lr; clipping sets the global update norm to lr x clip; no leaks', async () => {
    const tr = new SubnetTrainer(recipe({ warmupSteps: 4, gradClipNorm: 0.5, momentum: 0, weightDecay: 0 }));
    expect(tr.lrAt(0)).toBeCloseTo(0.05 * 0.25 * 0.5 * (1 + Math.cos(0)), 12);
    expect(tr.lrAt(3)).toBeCloseTo(0.05 * 0.5 * (1 + Math.cos((Math.PI * 3) / 4)), 12);
    const base = new Map<string, Float32Array>();
    for (const [n, v] of tr.net.parameters()) base.set(n, Float32Array.from(await v.data()));
    const afterBuild = tf.memory().numTensors;
    const { x, y } = await batchTensors(0, 6);
    await tr.step(x, y);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(afterBuild);
    let sq = 0;
    for (const [n, v] of tr.net.parameters()) {
      const now = await v.data();
      const b = base.get(n)!;
      for (let i = 0; i < b.length; i++) sq += (now[i] - b[i]) ** 2;
    }
    // the raw gradient norm is far above 0.5 (the stem's gradients explode), so the clip binds:
    // ||delta|| = lr(0) * 0.5, up to float32 rounding of the parameters
    expect(Math.abs(Math.sqrt(sq) / (tr.lrAt(0) * 0.5) - 1)).toBeLessThan(0.02);
    tr.dispose();
  });

  it('runRetrain reports top-1 / top-5 and cost, stops on request, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const r = await runRetrain(recipe({ totalSteps: 2 }), source, { onStep: (s) => steps.push(s.step) });
    expect(steps).toEqual([0, 1]);
    expect(r.steps).toBe(2);
    expect(r.stopped).toBe(false);
    expect(r.params).toBe(archCost(getSpace('bnnas-mbv2'), config, SHALLOW).params);
    expect(r.top1).toBeGreaterThanOrEqual(0);
    expect(r.images).toBe(24);
    const ctl = new AbortController();
    const stopped = await runRetrain(recipe({ totalSteps: 5 }), source, { signal: ctl.signal, onStep: (s) => s.step === 0 && ctl.abort() });
    expect([stopped.steps, stopped.stopped]).toEqual([1, true]);
    expect(tf.memory().numTensors).toBe(before);
    await expect(runRetrain(recipe({ config: { ...config, numClasses: 4 }, arch: SHALLOW }), source)).rejects.toThrow(/3 classes; the recipe has 4/);
  });

  it('a checkpoint round-trips exactly: same outputs, same next step', async () => {
    const before = tf.memory().numTensors;
    const a = new SubnetTrainer(recipe({ seed: 1 }));
    for (let t = 0; t < 2; t++) {
      const { x, y } = await batchTensors(t, 6);
      await a.step(x, y);
      tf.dispose([x, y]);
    }
    const evalA = await evaluateSubnet(a.net, source, { batchSize: 8, maxBatches: null });
    const bytes = await saveSubnetCheckpoint(a, evalA);
    const meta = readSubnetCheckpointMeta(bytes, 'a.ckpt');
    expect(meta.step).toBe(2);
    expect(meta.eval).toEqual(evalA);
    expect(meta.recipe).toEqual(a.recipe);
    const b = loadSubnetCheckpoint(bytes, 'a.ckpt');
    expect(b.stepIndex).toBe(2);
    expect(await evaluateSubnet(b.net, source, { batchSize: 8, maxBatches: null })).toEqual(evalA);
    const { x, y } = await batchTensors(2, 6);
    const [sa, sb] = [await a.step(x, y), await b.step(x, y)];
    expect(sb).toEqual(sa);
    for (const [n, v] of a.net.parameters()) expect(await b.net.parameters().get(n)!.data(), n).toEqual(await v.data());
    tf.dispose([x, y]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad blobs clearly, naming the source', async () => {
    const tr = new SubnetTrainer(recipe());
    const bytes = await saveSubnetCheckpoint(tr);
    tr.dispose();
    const corrupt = Uint8Array.from(bytes);
    corrupt[corrupt.length - 10] ^= 0xff;
    expect(() => loadSubnetCheckpoint(corrupt, 'bad.ckpt')).toThrow(/bad\.ckpt: corrupted: CRC-32 mismatch/);
    expect(() => loadSubnetCheckpoint(bytes.subarray(0, 100), 'short.ckpt')).toThrow(/short\.ckpt: truncated/);
    const content = decodeCheckpoint(bytes);
    const rewrite = (meta: unknown, tensors = content.tensors) => encodeCheckpoint({ meta, tensors });
    const m = content.meta as Record<string, unknown>;
    expect(() => loadSubnetCheckpoint(rewrite({ ...m, version: 2 }), 'v2.ckpt')).toThrow(/v2\.ckpt: subnet checkpoint version 2 is not supported/);
    expect(() => loadSubnetCheckpoint(rewrite({ ...m, recipe: { ...(m.recipe as object), arch: [1] } }), 'arch.ckpt')).toThrow(/arch\.ckpt: invalid retrain recipe: architecture has 1 choices/);
    expect(() => loadSubnetCheckpoint(rewrite(m, content.tensors.slice(1)), 'few.ckpt')).toThrow(/few\.ckpt: missing tensor w\//);
    const wrong = content.tensors.map((t, i) => (i === 0 ? { ...t, shape: [t.data.length] } : t));
    expect(() => loadSubnetCheckpoint(rewrite(m, wrong), 'shape.ckpt')).toThrow(/shape\.ckpt: tensor .* has shape/);
    const sup = new Trainer(testRecipe());
    const supBytes = await saveCheckpoint(sup);
    sup.dispose();
    expect(() => loadSubnetCheckpoint(supBytes, 'super.ckpt')).toThrow(CheckpointError);
    expect(() => loadSubnetCheckpoint(supBytes, 'super.ckpt')).toThrow(/super\.ckpt: not a retrained-subnet checkpoint \(metadata kind "isonas-supernet"/);
  });
});
