import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testRecipe, syntheticTensors } from '../../core/testing/fixtures.ts';
import { useCpuBackend } from '../../core/testing/tfCpu.ts';
import { saveCheckpoint } from '../../core/train/checkpoint.ts';
import { Trainer } from '../../core/train/trainer.ts';
import { UsageError } from '../args.ts';
import { isometryCommand } from './isometry.ts';

beforeAll(useCpuBackend);

const SMALL = ['--space', 'bnnas-mbv2', '--res', '16', '--width', '0.25', '--classes', '4', '--batch', '4', '--tile', '2', '--no-depth'];

describe('isometry command', () => {
  it('prints per-candidate spectra for the requested layers', async () => {
    const before = tf.memory().numTensors;
    const out = (await isometryCommand([...SMALL, '--init', 'he-normal', '--layers', '3', '--choices', '0,1', '--json'])) as Record<string, any>;
    expect(tf.memory().numTensors).toBe(before);
    expect(out.init).toBe('he-normal');
    expect(out.source).toBe('init');
    expect(out.modules.map((m: any) => [m.layer, m.choice])).toEqual([[3, 0], [3, 1]]);
    expect(Object.keys(out.modules[0])).toEqual(expect.arrayContaining(['layer', 'choice', 'meanSq', 'varSq', 'min', 'max', 'hist']));
    expect(out.modules[0].hist.edges.length).toBe(25);
  });

  it('compares initialisations side by side', async () => {
    const out = (await isometryCommand([...SMALL, '--layers', '0', '--choices', '0', '--compare', 'orthogonal,delta-orthogonal'])) as Record<string, any>;
    expect(out.compare.map((r: any) => r.init)).toEqual(['orthogonal', 'delta-orthogonal']);
  });

  it('reads a checkpoint, whose recipe wins', async () => {
    const recipe = testRecipe({ batchSize: 4, sampler: 'uniform' });
    const trainer = new Trainer(recipe);
    const { x, y } = syntheticTensors(recipe, 0);
    await trainer.step(x, y);
    tf.dispose([x, y]);
    const file = join(mkdtempSync(join(tmpdir(), 'iso-')), 'run.ckpt');
    writeFileSync(file, await saveCheckpoint(trainer));
    trainer.dispose();
    const out = (await isometryCommand(['--ckpt', file, '--res', '64', '--layers', '1', '--tile', '2', '--no-depth'])) as Record<string, any>;
    expect(out.source).toBe('checkpoint');
    expect(out.step).toBe(1);
    expect(out.config.resolution).toBe(16);
    expect(out.ignored).toEqual(['--res']);
    expect(out.modules.length).toBe(recipe.config.identity ? 7 : 6);
  });

  it('rejects bad arguments as usage errors', async () => {
    await expect(isometryCommand(['--space', 'bnnas-mbv2', '--res', '16', '--layers', '1,x'])).rejects.toBeInstanceOf(UsageError);
    await expect(isometryCommand(['--space', 'bnnas-mbv2', '--res', '16', '--compare', 'xavier'])).rejects.toBeInstanceOf(UsageError);
    await expect(isometryCommand(['--res', '16'])).rejects.toBeInstanceOf(UsageError);
  });
});
