// The lab and python/isonas_torch on the same supernet file (docs/scale-out.md), CPU, tiny shapes:
// (b) three fair steps in the TypeScript engine and in PyTorch from the same exported supernet and
// the same batch draw the same paths and give the same BN parameters (within 1e-4); (c) the lab
// opens the PyTorch run file and its indicator table equals the one Python computed; and a run
// file whose recipe or frozen weights differ is refused saying what differs. Skipped, with the
// reason, where /usr/bin/python3 has no torch (.ci/run installs Debian's python3-torch).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRecipe, type TrainRecipe } from '../core/train/recipe.ts';
import { syntheticBatch } from '../core/data/synthetic.ts';
import { decodeSafetensors, encodeSafetensors } from '../core/io/safetensors.ts';
import { exportSupernetFile, importRunFile } from '../core/io/supernetFile.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { loadCheckpoint } from '../core/train/checkpoint.ts';
import { Trainer } from '../core/train/trainer.ts';
import { readIndicators } from '../core/model/indicators.ts';

const PYTHON = '/usr/bin/python3';
const PY_DIR = fileURLToPath(new URL('../../python', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
if (!hasTorch) console.warn(`torchBridge.test.ts skipped: ${PYTHON} cannot import torch and numpy (apt-get install python3-torch python3-numpy)`);

const STEPS = 3;
const B = 8;

describe.skipIf(!hasTorch)('the lab and isonas_torch on one supernet file', () => {
  let dir: string;
  let recipe: TrainRecipe;
  let runBytes: Uint8Array;
  let pyPaths: number[][][];
  let lab: Trainer;
  let labPaths: number[][][];
  let x: tf.Tensor4D;
  let y: tf.Tensor1D;

  beforeAll(async () => {
    await useCpuBackend();
    dir = mkdtempSync(join(tmpdir(), 'isonas-bridge-'));
    recipe = resolveRecipe(undefined, { space: 'micro-mbv2', config: { resolution: 16, widthMult: 0.25, numClasses: 4 }, dropout: 0, batchSize: B, totalSteps: STEPS });
    writeFileSync(join(dir, 'sn.safetensors'), await exportSupernetFile(recipe));
    const batch = syntheticBatch({ seed: 5, numClasses: 4, resolution: 16, noise: 0.5, trainSize: 100, valSize: 10 }, 'train', 0, B);
    writeFileSync(join(dir, 'batch.safetensors'), encodeSafetensors({ metadata: {}, tensors: [
      { name: 'images', shape: [B, 16, 16, 3], data: batch.images },
      { name: 'labels', shape: [B], data: Float32Array.from(batch.labels) },
    ] }));
    const py = spawnSync(PYTHON, ['-m', 'isonas_torch.train', '--supernet', join(dir, 'sn.safetensors'), '--data', join(dir, 'batch.safetensors'), '--shuffle', 'off',
      '--steps', String(STEPS), '--batch', String(B), '--out', join(dir, 'run.safetensors'), '--threads', '1'], { env: { ...process.env, PYTHONPATH: PY_DIR, OMP_NUM_THREADS: '1' }, encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`isonas_torch.train failed: ${py.stderr.slice(-2000)}`);
    pyPaths = py.stdout.split('\n').filter((l) => l.startsWith('{"step"')).map((l) => (JSON.parse(l) as { paths: number[][] }).paths);
    runBytes = readFileSync(join(dir, 'run.safetensors'));

    lab = new Trainer(recipe);
    x = tf.tensor4d(batch.images, [B, 16, 16, 3]);
    y = tf.tensor1d(batch.labels, 'int32');
    labPaths = [];
    for (let s = 0; s < STEPS; s++) labPaths.push((await lab.step(x, y)).paths);
  }, 240_000);

  afterAll(() => {
    lab?.dispose();
    tf.dispose([x, y]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('(b) draws the same paths and ends at the same BN parameters as the TypeScript engine', async () => {
    expect(pyPaths).toHaveLength(STEPS);
    expect(pyPaths).toEqual(labPaths);
    expect(pyPaths[0]).toHaveLength(7); // fair: m = 7 paths a step (identity + 6 on the normal layer)
    const { tensors, metadata } = decodeSafetensors(runBytes, 'run.safetensors');
    expect(JSON.parse(metadata.recipe)).toEqual(JSON.parse(JSON.stringify(recipe)));
    const py = new Map(tensors.map((t) => [t.name, t.data]));
    let moved = 0;
    let worst = 0;
    for (const [name, bn] of lab.supernet.batchNorms) {
      for (const [part, v] of [['gamma', bn.gamma], ['beta', bn.beta], ['running_mean', bn.runningMean], ['running_var', bn.runningVar]] as const) {
        const ours = (await v.data()) as Float32Array;
        const theirs = py.get(`bn/${name}.${part}`);
        expect(theirs, `bn/${name}.${part}`).toBeDefined();
        for (let i = 0; i < ours.length; i++) {
          worst = Math.max(worst, Math.abs(ours[i] - theirs![i]));
          if (part === 'gamma') moved = Math.max(moved, Math.abs(ours[i] - 1));
        }
      }
    }
    expect(moved).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-4);
  });

  it('(c) opens the PyTorch run as a lab checkpoint whose indicator table equals the one Python computed', async () => {
    const trainer = loadCheckpoint(await importRunFile(runBytes, 'run.safetensors'), 'run.safetensors');
    try {
      expect(trainer.stepIndex).toBe(STEPS);
      expect(trainer.samplerRng.getState().slice(0, 4)).toEqual(lab.samplerRng.getState().slice(0, 4));
      const table = await readIndicators(trainer.supernet);
      const py = JSON.parse(decodeSafetensors(runBytes).metadata.indicators) as Array<{ choices: number[]; scores: number[] }>;
      expect(table.layers.map((l) => l.choices)).toEqual(py.map((l) => l.choices));
      table.layers.forEach((l, i) => l.scores.forEach((s, k) => expect(Math.abs(s - py[i].scores[k])).toBeLessThan(1e-6)));
    } finally {
      trainer.dispose();
    }
  });

  it('refuses a run file whose recipe or frozen weights differ, saying what differs', async () => {
    const { tensors, metadata } = decodeSafetensors(runBytes);
    const variant = (m: Record<string, string>) => encodeSafetensors({ metadata: { ...metadata, ...m }, tensors });
    const r = JSON.parse(metadata.recipe) as TrainRecipe;
    await expect(importRunFile(variant({ fingerprint: 'crc32:00000000:42' }), 'a.safetensors')).rejects.toThrow(/a\.safetensors: frozen-weight fingerprint "crc32:00000000:42" differs from the lab's rebuild crc32:[0-9a-f]{8}:\d+/);
    await expect(importRunFile(variant({ recipe: JSON.stringify({ ...r, seed: 1 }) }), 'b.safetensors')).rejects.toThrow(/b\.safetensors: frozen-weight fingerprint .* seed 1\)/);
    await expect(importRunFile(variant({ recipe: JSON.stringify({ ...r, config: { ...r.config, widthMult: 0.5 } }) }), 'c.safetensors')).rejects.toThrow(/c\.safetensors: .*blocks differ at prefix\[0\]\.spec\.cout: \d+ in the file, \d+ in the lab/);
    await expect(importRunFile(variant({ format: 'x' }), 'd.safetensors')).rejects.toThrow(/d\.safetensors: metadata format is "x"/);
  });
});
