// Supernet checkpoints: recipe + BN parameters + running statistics + optimiser state + step +
// sampler RNG state in one versioned blob (checkpointCodec.ts). Frozen weights are never stored:
// they are regenerated from the recipe. In mode `all` the weights train, so they are stored.
import * as tf from '@tensorflow/tfjs-core';
import { validateRecipe, type TrainRecipe } from './recipe.ts';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from './checkpointCodec.ts';
import { Trainer } from './trainer.ts';
import { tensorRestorer } from './checkpointRestore.ts';

const KIND = 'isonas-supernet';

interface SupernetMeta {
  kind: typeof KIND;
  recipe: TrainRecipe;
  step: number;
  samplerRng: number[];
}

/**
 * A checkpoint captured between steps but not yet read back: every stored tensor copied into one
 * packed tensor (enqueued in order on the device, so later steps cannot change it) plus the
 * metadata. `encodeSnapshot` reads it back asynchronously and frees it.
 */
export interface CheckpointSnapshot {
  meta: SupernetMeta;
  entries: Array<{ name: string; shape: number[]; size: number }>;
  /** Owned by the snapshot; null when there is nothing to store. */
  packed: tf.Tensor1D | null;
}

/** Capture the trainer's state synchronously (no read-back), so training can go on at once. */
export function snapshotCheckpoint(trainer: Trainer): CheckpointSnapshot {
  const named: Array<[string, tf.Tensor]> = [];
  for (const [name, bn] of trainer.supernet.batchNorms) {
    named.push([`bn/${name}.gamma`, bn.gamma], [`bn/${name}.beta`, bn.beta]);
    named.push([`bn/${name}.running_mean`, bn.runningMean], [`bn/${name}.running_var`, bn.runningVar]);
  }
  for (const [name, w] of trainer.supernet.weightParams) {
    if (w.trainable) named.push([`w/${name}`, w.tensor]);
  }
  for (const [name, buf] of trainer.optimizer.state) named.push([`opt/${name}`, buf]);
  const meta: SupernetMeta = { kind: KIND, recipe: trainer.recipe, step: trainer.stepIndex, samplerRng: trainer.samplerRng.getState() };
  const entries = named.map(([name, t]) => ({ name, shape: [...t.shape], size: t.size }));
  const packed = named.length === 0 ? null : tf.tidy(() => tf.concat(named.map(([, t]) => tf.reshape(t, [-1])) as tf.Tensor1D[]));
  return { meta, entries, packed };
}

/**
 * Read a snapshot back (one asynchronous read, safe on WebGPU), free it, and encode it. With
 * `requireFinite`, a NaN or infinite value is refused (CheckpointError 'non-finite') instead of stored.
 */
export async function encodeSnapshot(snap: CheckpointSnapshot, requireFinite = false): Promise<Uint8Array> {
  let values: Float32Array = new Float32Array(0);
  if (snap.packed !== null) {
    try {
      values = (await snap.packed.data()) as Float32Array;
    } finally {
      snap.packed.dispose();
    }
  }
  const tensors: CheckpointTensor[] = [];
  let at = 0;
  for (const e of snap.entries) {
    tensors.push({ name: e.name, shape: e.shape, data: values.slice(at, at + e.size) });
    at += e.size;
  }
  const bad = requireFinite ? firstNonFinite(tensors) : null;
  if (bad) throw new CheckpointError(`step ${snap.meta.step}: ${bad}: the run diverged (a learning rate too high?)`, 'non-finite', 'checkpoint');
  return encodeCheckpoint({ meta: snap.meta, tensors });
}

/** Serialise a trainer's state. Reads tensors asynchronously (safe on WebGPU). */
export async function saveCheckpoint(trainer: Trainer, requireFinite = false): Promise<Uint8Array> {
  return encodeSnapshot(snapshotCheckpoint(trainer), requireFinite);
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
  if (!Number.isSafeInteger(m.step) || m.step < 0 || m.step > m.recipe.totalSteps) {
    throw new CheckpointError(`${source}: step ${m.step} is not an integer in 0..${m.recipe.totalSteps} (the recipe's steps)`, 'invalid-content', source);
  }
  if (m.samplerRng.length > 64 || !m.samplerRng.every((x) => Number.isSafeInteger(x))) {
    throw new CheckpointError(`${source}: samplerRng is not a short list of integers`, 'invalid-content', source);
  }
  return m as SupernetMeta;
}

/** The first stored value that is NaN or infinite, as a message naming the tensor; null when all are finite. */
export function firstNonFinite(tensors: ReadonlyArray<{ name: string; data: Float32Array }>): string | null {
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) return `tensor "${t.name}" holds ${t.data[i]} at element ${i}`;
    }
  }
  return null;
}

/** Build a fresh trainer from a checkpoint and restore every stored value into it. */
export function loadCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Trainer {
  const { meta, tensors } = decodeCheckpoint(bytes, source);
  const m = checkMeta(meta, source);
  const bad = firstNonFinite(tensors);
  if (bad) throw new CheckpointError(`${source}: ${bad}: the run diverged (a learning rate too high?); refusing non-finite values`, 'non-finite', source);
  const trainer = new Trainer(m.recipe);
  try {
    const { take, assign, finish } = tensorRestorer(tensors, source, 'supernet');
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
    finish();
    trainer.samplerRng.setState(m.samplerRng);
    trainer.stepIndex = m.step;
    return trainer;
  } catch (e) {
    trainer.dispose();
    throw e;
  }
}
