// Runs: import of a PyTorch run file (safetensors, docs/scale-out.md) without Python: a lab
// trainer's state written in the run-file layout isonas_torch uses (bn/ w/ opt/ tensors; recipe,
// step, sampler state, fingerprint, blocks, history in the metadata) becomes a lab run file whose
// record, metrics and checkpoint are the trainer's; a file of other frozen weights is refused.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../core/train/recipe.ts';
import { syntheticBatch } from '../../core/data/synthetic.ts';
import { decodeSafetensors, encodeSafetensors } from '../../core/io/safetensors.ts';
import { exportSupernetFile, RUN_FORMAT } from '../../core/io/supernetFile.ts';
import { useCpuBackend } from '../../core/testing/tfCpu.ts';
import { loadCheckpoint, saveCheckpoint } from '../../core/train/checkpoint.ts';
import { decodeCheckpoint } from '../../core/train/checkpointCodec.ts';
import { Trainer } from '../../core/train/trainer.ts';
import { decodeRunFile } from './runFile.ts';
import { torchRunToRunFile } from './torchImport.ts';

describe('torchRunToRunFile', () => {
  const recipe = resolveRecipe(undefined, { space: 'micro-mbv2', config: { resolution: 16, widthMult: 0.25, numClasses: 4 }, batchSize: 4, totalSteps: 2, dropout: 0 });
  let trainer: Trainer;
  let run: Uint8Array;
  let meta: Record<string, string>;

  beforeAll(async () => {
    await useCpuBackend();
    const sn = decodeSafetensors(await exportSupernetFile(recipe)).metadata;
    trainer = new Trainer(recipe);
    const b = syntheticBatch({ seed: 1, numClasses: 4, resolution: 16, noise: 0.5, trainSize: 50, valSize: 5 }, 'train', 0, 4);
    const [x, y] = [tf.tensor4d(b.images, [4, 16, 16, 3]), tf.tensor1d(b.labels, 'int32')];
    const r = await trainer.step(x, y);
    tf.dispose([x, y]);
    const { tensors } = decodeCheckpoint(await saveCheckpoint(trainer));
    meta = {
      format: RUN_FORMAT, recipe: JSON.stringify(recipe), step: '1', samplerRng: JSON.stringify(trainer.samplerRng.getState()),
      fingerprint: sn.fingerprint, blocks: sn.blocks, history: JSON.stringify({ loss: [r.loss], acc: [r.acc], lr: [r.lr] }),
    };
    run = encodeSafetensors({ metadata: meta, tensors });
  }, 120_000);

  afterAll(() => trainer?.dispose());

  it('becomes a stored run with the trainer’s record, metrics and checkpoint', async () => {
    const { record, checkpoint } = decodeRunFile(await torchRunToRunFile(run, 'big.safetensors', 1000, 7), 'x');
    expect(record).toMatchObject({ step: 1, checkpointStep: 1, totalSteps: 2, status: 'stopped', settings: { space: 'micro-mbv2', resolution: 16, batchSize: 4 } });
    expect(record.name).toContain('big');
    expect(record.metrics.loss[0]).toBeCloseTo(JSON.parse(meta.history).loss[0], 6);
    const back = loadCheckpoint(checkpoint!, 'x');
    try {
      expect(back.stepIndex).toBe(1);
      const [name, bn] = [...trainer.supernet.batchNorms][3];
      expect(Array.from(await back.supernet.batchNorms.get(name)!.gamma.data())).toEqual(Array.from(await bn.gamma.data()));
    } finally {
      back.dispose();
    }
  });

  it('refuses a run of other frozen weights, naming the file', async () => {
    const other = encodeSafetensors({ metadata: { ...meta, recipe: JSON.stringify({ ...recipe, init: 'he-normal' }) }, tensors: decodeSafetensors(run).tensors });
    await expect(torchRunToRunFile(other, 'o.safetensors', 1000, 7)).rejects.toThrow(/o\.safetensors: frozen-weight fingerprint .* init he-normal/);
  });
});
