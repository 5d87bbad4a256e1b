import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticTensors, testRecipe } from '../testing/fixtures.ts';
import { useCpuBackend } from '../testing/tfCpu.ts';
import { loadCheckpoint, readCheckpointMeta, saveCheckpoint } from './checkpoint.ts';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.ts';
import type { Trainer } from './trainer.ts';
import { Trainer as TrainerClass } from './trainer.ts';

beforeAll(useCpuBackend);

/** Every BN's parameters and running statistics, flattened (to compare two trainers). */
async function bnState(tr: Trainer): Promise<number[]> {
  const out: number[] = [];
  for (const bn of tr.supernet.batchNorms.values()) {
    for (const t of [bn.gamma, bn.beta, bn.runningMean, bn.runningVar]) out.push(...(await t.data()));
  }
  return out;
}

async function stepOn(tr: Trainer, t: number) {
  const { x, y } = syntheticTensors(tr.recipe, t);
  const r = await tr.step(x, y);
  tf.dispose([x, y]);
  return r;
}

describe.each(['bn', 'all'] as const)('checkpoint (mode %s)', (mode) => {
  it('resumes exactly: 3 steps, save, load into a fresh supernet, the 4th step matches an uninterrupted run', async () => {
    const recipe = testRecipe({ mode, sampler: 'uniform', dropout: 0.2 });
    const a = new TrainerClass(recipe);
    for (let t = 0; t < 3; t++) await stepOn(a, t);
    const blob = await saveCheckpoint(a);
    const uninterrupted = await stepOn(a, 3);
    const after4 = await bnState(a);
    a.dispose();

    const b = loadCheckpoint(blob, 'run.ckpt');
    expect(b.stepIndex).toBe(3);
    expect(b.recipe).toEqual(recipe);
    const resumed = await stepOn(b, 3);
    expect(resumed.paths).toEqual(uninterrupted.paths);
    expect(resumed.loss).toBe(uninterrupted.loss);
    expect(resumed.acc).toBe(uninterrupted.acc);
    // parameters after the 4th update (needs the momentum buffers) and running statistics
    expect(await bnState(b)).toEqual(after4);
    expect(readCheckpointMeta(blob)).toEqual({ recipe, step: 3 });
    b.dispose();
  });
});

describe('checkpoint refusals', () => {
  it('refuses a truncated blob, another version, and a blob of something else, naming the file', async () => {
    const tr = new TrainerClass(testRecipe({ sampler: 'uniform' }));
    const blob = await saveCheckpoint(tr);
    tr.dispose();
    expect(() => loadCheckpoint(blob.slice(0, blob.length - 100), 'cut.ckpt')).toThrow(/cut\.ckpt: truncated/);
    const v2 = blob.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    expect(() => loadCheckpoint(v2, 'new.ckpt')).toThrow(/new\.ckpt: checkpoint version 2 is not supported/);
    const other = encodeCheckpoint({ meta: { kind: 'something-else' }, tensors: [] });
    expect(() => loadCheckpoint(other, 'other.ckpt')).toThrow(CheckpointError);
    expect(() => loadCheckpoint(other, 'other.ckpt')).toThrow(/other\.ckpt: not a supernet checkpoint/);
    // a valid blob whose tensors do not fit the recipe's supernet
    const { meta, tensors } = decodeCheckpoint(blob);
    const wrong = encodeCheckpoint({ meta, tensors: tensors.map((t, i) => (i === 0 ? { ...t, shape: [1, t.data.length], data: t.data } : t)) });
    expect(() => loadCheckpoint(wrong, 'wrong.ckpt')).toThrow(/wrong\.ckpt: tensor .* has shape/);
    const missing = encodeCheckpoint({ meta, tensors: tensors.slice(1) });
    expect(() => loadCheckpoint(missing, 'missing.ckpt')).toThrow(/missing\.ckpt: missing tensor/);
  });

  it('leaks no tensors when a load is refused', async () => {
    const tr = new TrainerClass(testRecipe({ sampler: 'uniform' }));
    const blob = await saveCheckpoint(tr);
    tr.dispose();
    const { meta, tensors } = decodeCheckpoint(blob);
    const before = tf.memory().numTensors;
    expect(() => loadCheckpoint(encodeCheckpoint({ meta, tensors: tensors.slice(0, -1) }), 'x.ckpt')).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
