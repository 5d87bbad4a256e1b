// Supernet checkpoints: recipe + BN parameters + running statistics + optimiser state + step +
// sampler RNG state in one versioned blob (checkpointCodec.ts). Frozen weights are never stored:
// they are regenerated from the recipe. In mode `all` the weights train, so they are stored.
import * as tf from '@tensorflow/tfjs-core';
import { validateRecipe, type TrainRecipe } from '../config.ts';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from './checkpointCodec.ts';
import { Trainer } from './trainer.ts';

const KIND = 'isonas-supernet';

interface SupernetMeta {
  kind: typeof KIND;
  recipe: TrainRecipe;
  step: number;
  samplerRng: number[];
}

async function readTensor(name: string, t: tf.Tensor): Promise<CheckpointTensor> {
  return { name, shape: [...t.shape], data: (await t.data()) as Float32Array };
}

/** Serialise a trainer's state. Reads tensors asynchronously (safe on WebGPU). */
export async function saveCheckpoint(trainer: Trainer): Promise<Uint8Array> {
  const tensors: CheckpointTensor[] = [];
  for (const [name, bn] of trainer.supernet.batchNorms) {
    tensors.push(await readTensor(`bn/${name}.gamma`, bn.gamma));
    tensors.push(await readTensor(`bn/${name}.beta`, bn.beta));
    tensors.push(await readTensor(`bn/${name}.running_mean`, bn.runningMean));
    tensors.push(await readTensor(`bn/${name}.running_var`, bn.runningVar));
  }
  for (const [name, w] of trainer.supernet.weightParams) {
    if (w.trainable) tensors.push(await readTensor(`w/${name}`, w.tensor));
  }
  for (const [name, buf] of trainer.optimizer.state) tensors.push(await readTensor(`opt/${name}`, buf));
  const meta: SupernetMeta = { kind: KIND, recipe: trainer.recipe, step: trainer.stepIndex, samplerRng: trainer.samplerRng.getState() };
  return encodeCheckpoint({ meta, tensors });
}

/** The recipe and step of a checkpoint without building anything. */
export function readCheckpointMeta(bytes: Uint8Array, source = 'checkpoint'): { recipe: TrainRecipe; step: number } {
  const { meta } = decodeCheckpoint(bytes, source);
  const m = checkMeta(meta, source);
  return { recipe: m.recipe, step: m.step };
}

function checkMeta(meta: unknown, source: string): SupernetMeta {
  const m = meta as Partial<SupernetMeta> | null;
  if (!m || m.kind !== KIND || typeof m.step !== 'number' || !Array.isArray(m.samplerRng) || !m.recipe) {
    throw new CheckpointError(`${source}: not a supernet checkpoint (metadata kind ${JSON.stringify(m?.kind)})`, 'invalid-content', source);
  }
  try {
    validateRecipe(m.recipe);
  } catch (e) {
    throw new CheckpointError(`${source}: ${(e as Error).message}`, 'invalid-content', source);
  }
  return m as SupernetMeta;
}

/** Build a fresh trainer from a checkpoint and restore every stored value into it. */
export function loadCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Trainer {
  const { meta, tensors } = decodeCheckpoint(bytes, source);
  const m = checkMeta(meta, source);
  const trainer = new Trainer(m.recipe);
  try {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const take = (name: string, target: tf.Tensor): tf.Tensor => {
      const t = byName.get(name);
      if (!t) throw new CheckpointError(`${source}: missing tensor ${name}`, 'invalid-content', source);
      if (t.shape.join('x') !== target.shape.join('x')) {
        throw new CheckpointError(`${source}: tensor ${name} has shape [${t.shape}], the supernet needs [${target.shape}]`, 'invalid-content', source);
      }
      byName.delete(name);
      return tf.tensor(t.data, t.shape);
    };
    const assign = (name: string, v: tf.Variable): void => {
      const t = take(name, v);
      v.assign(t);
      t.dispose();
    };
    for (const [name, bn] of trainer.supernet.batchNorms) {
      assign(`bn/${name}.gamma`, bn.gamma);
      assign(`bn/${name}.beta`, bn.beta);
      assign(`bn/${name}.running_mean`, bn.runningMean);
      assign(`bn/${name}.running_var`, bn.runningVar);
    }
    for (const [name, w] of trainer.supernet.weightParams) {
      if (w.trainable) assign(`w/${name}`, w.tensor as tf.Variable);
    }
    for (const [key, buf] of [...trainer.optimizer.state]) trainer.optimizer.setBuffer(key, take(`opt/${key}`, buf));
    if (byName.size > 0) {
      throw new CheckpointError(`${source}: unexpected tensors ${[...byName.keys()].slice(0, 3).join(', ')}`, 'invalid-content', source);
    }
    trainer.samplerRng.setState(m.samplerRng);
    trainer.stepIndex = m.step;
    return trainer;
  } catch (e) {
    trainer.dispose();
    throw e;
  }
}
