// Retrain checkpoints: the same versioned, CRC-checked blob as supernet checkpoints
// (train/checkpointCodec.ts, magic "ISONASCK"), with metadata kind "isonas-subnet" and its own
// content version, holding the retrain recipe (space, config, arch, init, seed, ...), the step,
// the final evaluation if any, every trainable weight, every BN's affine pair and running
// statistics, and the optimiser's momentum buffers. A supernet checkpoint, another content
// version, a recipe that does not validate, or tensors that are missing, extra or of the wrong
// shape are refused with a CheckpointError naming the source.
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from '../train/checkpointCodec.ts';
import type { EvalResult } from './evaluate.ts';
import { validateRetrainRecipe, type RetrainRecipe } from './recipe.ts';
import { SubnetTrainer } from './trainer.ts';
import { tensorRestorer } from '../train/checkpointRestore.ts';

export const SUBNET_CHECKPOINT_KIND = 'isonas-subnet';
/** Version of the metadata / tensor naming inside the blob (the blob itself has the codec's version). */
export const SUBNET_CHECKPOINT_VERSION = 1;

interface SubnetMeta {
  kind: typeof SUBNET_CHECKPOINT_KIND;
  version: number;
  recipe: RetrainRecipe;
  step: number;
  eval: EvalResult | null;
}

async function read(name: string, t: tf.Tensor): Promise<CheckpointTensor> {
  return { name, shape: [...t.shape], data: (await t.data()) as Float32Array };
}

/** Serialise a subnet trainer (asynchronous read-backs only). */
export async function saveSubnetCheckpoint(trainer: SubnetTrainer, evaluation: EvalResult | null = null): Promise<Uint8Array> {
  const tensors: CheckpointTensor[] = [];
  for (const [name, w] of trainer.net.weights) tensors.push(await read(`w/${name}`, w));
  for (const [name, bn] of trainer.net.batchNorms) {
    tensors.push(await read(`bn/${name}.gamma`, bn.gamma));
    tensors.push(await read(`bn/${name}.beta`, bn.beta));
    tensors.push(await read(`bn/${name}.running_mean`, bn.runningMean));
    tensors.push(await read(`bn/${name}.running_var`, bn.runningVar));
  }
  for (const [name, buf] of trainer.optimizer.state) tensors.push(await read(`opt/${name}`, buf));
  const meta: SubnetMeta = { kind: SUBNET_CHECKPOINT_KIND, version: SUBNET_CHECKPOINT_VERSION, recipe: trainer.recipe, step: trainer.stepIndex, eval: evaluation };
  return encodeCheckpoint({ meta, tensors });
}

function checkMeta(meta: unknown, source: string): SubnetMeta {
  const m = meta as Partial<SubnetMeta> | null;
  const bad = (msg: string): never => {
    throw new CheckpointError(`${source}: ${msg}`, 'invalid-content', source);
  };
  if (!m || m.kind !== SUBNET_CHECKPOINT_KIND) bad(`not a retrained-subnet checkpoint (metadata kind ${JSON.stringify(m?.kind)}, expected "${SUBNET_CHECKPOINT_KIND}")`);
  if (m!.version !== SUBNET_CHECKPOINT_VERSION) bad(`subnet checkpoint version ${JSON.stringify(m!.version)} is not supported by this build (version ${SUBNET_CHECKPOINT_VERSION})`);
  if (!Number.isInteger(m!.step) || m!.step! < 0) bad(`step must be a non-negative integer, got ${JSON.stringify(m!.step)}`);
  try {
    validateRetrainRecipe(m!.recipe as RetrainRecipe);
  } catch (e) {
    bad((e as Error).message);
  }
  return m as SubnetMeta;
}

/** Recipe, step and stored evaluation without building anything. */
export function readSubnetCheckpointMeta(bytes: Uint8Array, source = 'checkpoint'): { recipe: RetrainRecipe; step: number; eval: EvalResult | null } {
  const m = checkMeta(decodeCheckpoint(bytes, source).meta, source);
  return { recipe: m.recipe, step: m.step, eval: m.eval ?? null };
}

/** Build the subnet of a checkpoint and restore every stored value (training can continue). */
export function loadSubnetCheckpoint(bytes: Uint8Array, source = 'checkpoint'): SubnetTrainer {
  const { meta, tensors } = decodeCheckpoint(bytes, source);
  const m = checkMeta(meta, source);
  const trainer = new SubnetTrainer(m.recipe);
  try {
    const { take, assign, finish } = tensorRestorer(tensors, source, 'subnet');
    for (const [name, w] of trainer.net.weights) assign(`w/${name}`, w);
    for (const [name, bn] of trainer.net.batchNorms) {
      assign(`bn/${name}.gamma`, bn.gamma);
      assign(`bn/${name}.beta`, bn.beta);
      assign(`bn/${name}.running_mean`, bn.runningMean);
      assign(`bn/${name}.running_var`, bn.runningVar);
    }
    for (const [key, buf] of [...trainer.optimizer.state]) trainer.optimizer.setBuffer(key, take(`opt/${key}`, buf));
    finish();
    trainer.stepIndex = m.step;
    return trainer;
  } catch (e) {
    trainer.dispose();
    throw e;
  }
}
