// Runs: import of a run file written by the PyTorch trainer (python/isonas_torch, docs/scale-out.md):
// the safetensors file is checked against the lab's rebuild of its recipe (importRunFile refuses a
// different recipe, block list or frozen-weight fingerprint, saying what differs) and wrapped as a
// lab run file (record + metrics history + checkpoint), which the keeper then imports as any other.
import { importRunFile } from '../../core/io/supernetFile.ts';
import { decodeSafetensors } from '../../core/io/safetensors.ts';
import { readCheckpointMeta } from '../../core/train/checkpoint.ts';
import type { PresetName, TrainSettings } from '../protocol/index.ts';
import { encodeRunFile } from './runFile.ts';
import { makeRunId, newRunRecord } from './runRecord.ts';

function numbers(x: unknown, n: number): Float32Array {
  const a = Array.isArray(x) ? x.map(Number) : [];
  return Float32Array.from({ length: n }, (_, i) => (Number.isFinite(a[i]) ? a[i] : Number.NaN));
}

export async function torchRunToRunFile(bytes: Uint8Array, fileName: string, now: number, random32: number): Promise<Uint8Array> {
  const checkpoint = await importRunFile(bytes, fileName);
  const { recipe, step } = readCheckpointMeta(checkpoint, fileName);
  const meta = decodeSafetensors(bytes, fileName).metadata;
  let history: Record<string, unknown> = {};
  try {
    history = JSON.parse(meta.history ?? '{}') as Record<string, unknown>;
  } catch {
    history = {};
  }
  const c = recipe.config;
  const preset: PresetName = c.resolution >= 224 ? 'paper' : c.resolution >= 64 ? 'small' : 'tiny';
  const settings: TrainSettings = {
    space: recipe.space, resolution: c.resolution, widthMult: c.widthMult, numClasses: c.numClasses, init: recipe.init, seed: recipe.seed,
    mode: recipe.mode, sampler: recipe.sampler, batchSize: recipe.batchSize, totalSteps: recipe.totalSteps, lr: recipe.lr,
  };
  const record = newRunRecord({
    id: makeRunId(now, random32), now, preset, settings, totalSteps: recipe.totalSteps,
    data: `PyTorch run (${meta.trainer ?? 'isonas_torch'})`, name: `${fileName.replace(/\.safetensors$/, '')} (PyTorch, step ${step})`,
  });
  record.status = step >= recipe.totalSteps ? 'done' : 'stopped';
  record.step = step;
  record.checkpointStep = step;
  record.checkpointBytes = checkpoint.length;
  record.metrics = { loss: numbers(history.loss, step), acc: numbers(history.acc, step), lr: numbers(history.lr, step) };
  return encodeRunFile({ record, checkpoint });
}
