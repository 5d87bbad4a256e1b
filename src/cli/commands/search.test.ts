// `search` and `export` called directly on a checkpoint made here (no child process).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { bestArch, importSubnet } from '../../core/search/index.ts';
import { archCost, formatArch, getSpace, parseArch } from '../../core/space/index.ts';
import { testRecipe } from '../../core/testing/fixtures.ts';
import { useCpuBackend } from '../../core/testing/tfCpu.ts';
import { saveCheckpoint } from '../../core/train/checkpoint.ts';
import { Trainer } from '../../core/train/trainer.ts';
import { UsageError } from '../args.ts';
import { exportCommand } from './export.ts';
import { searchCommand } from './search.ts';

const dir = mkdtempSync(join(tmpdir(), 'isonas-search-'));
const ckpt = join(dir, 'run.ckpt');
const recipe = testRecipe({ sampler: 'uniform', seed: 5 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await useCpuBackend();
  // A supernet whose BN gammas are seeded random values, so the indicator table is not flat.
  const tr = new Trainer(recipe);
  const rng = createRng(9);
  for (const bn of tr.supernet.batchNorms.values()) {
    const vals = Float32Array.from({ length: bn.gamma.size }, () => 0.2 + rng.uniform());
    const t = tf.tensor1d(vals);
    bn.gamma.assign(t);
    t.dispose();
  }
  writeFileSync(ckpt, await saveCheckpoint(tr));
  tr.dispose();
});

type Row = { arch: string; fitness: number; macs: number; params: number };
type SearchOut = { rule: string; seed: number; limits: { maxMacs: number; maxParams: number | null }; top: Row[]; pareto: Row[]; history: unknown[]; best: Row & { withinLimits: boolean } };

describe('search command', () => {
  it('defaults: rule dirf, the space limit, the checkpoint seed; deterministic; argmax best', async () => {
    const out = (await searchCommand(['--ckpt', ckpt, '--json'])) as SearchOut;
    expect(out.rule).toBe('dirf');
    expect(out.seed).toBe(5);
    expect(out.limits.maxMacs).toBe(475e6);
    expect(out.limits.maxParams).toBeNull();
    expect(out.top).toHaveLength(50);
    expect(out.history).toHaveLength(20);
    expect(out.pareto.length).toBeGreaterThan(0);
    // width 0.25: every arch is under 475M at the reference, so the argmax is the best found at most
    expect(out.best.withinLimits).toBe(true);
    expect(out.top[0].fitness).toBeLessThanOrEqual(out.best.fitness + 1e-12);
    expect(await searchCommand(['--ckpt', ckpt])).toEqual(out);
  });

  it('--max-macs / --max-params bind at the reference cost; --rule and --seed are honoured', async () => {
    const free = (await searchCommand(['--ckpt', ckpt, '--rule', 'bnnas', '--seed', '1'])) as SearchOut;
    const maxMacs = Math.round(free.best.macs * 0.8);
    const out = (await searchCommand(['--ckpt', ckpt, '--rule', 'bnnas', '--seed', '1', '--max-macs', String(maxMacs), '--max-params', '1e7'])) as SearchOut;
    expect(out.rule).toBe('bnnas');
    expect(out.seed).toBe(1);
    expect(out.best.withinLimits).toBe(false);
    for (const r of [...out.top, ...out.pareto]) {
      expect(r.macs).toBeLessThanOrEqual(maxMacs);
      expect(archCost(getSpace('bnnas-mbv2'), recipe.config, parseArch(r.arch)).reference).toEqual({ macs: r.macs, params: r.params });
    }
    expect(out.top.some((r) => r.arch === out.best.arch)).toBe(false);
  });

  it.each([
    [['--rule', 'acc'], /--rule must be one of dirf, bnnas/],
    [['--max-macs', '0'], /--max-macs must be a number > 0/],
    [['--seed', 'x'], /--seed must be an integer/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j is a usage error', async (args, message) => {
    await expect(searchCommand(['--ckpt', ckpt, ...args])).rejects.toThrow(message);
    await expect(searchCommand(['--ckpt', ckpt, ...args])).rejects.toBeInstanceOf(UsageError);
  });

  it('--fitness accuracy scores top-1 on the data (a fraction), one line per generation', async () => {
    const lines: unknown[] = [];
    const args = ['--ckpt', ckpt, '--fitness', 'accuracy', '--data', 'synthetic', '--population', '2', '--generations', '2', '--calib-batches', '1', '--eval-batches', '2', '--batch', '4'];
    const out = (await searchCommand(args, (l) => lines.push(l))) as SearchOut & { fitness: string; accuracy: { evalBatches: number } };
    expect(out.fitness).toBe('accuracy');
    expect(out.accuracy.evalBatches).toBe(2);
    expect(lines).toHaveLength(2);
    for (const r of out.top) expect(Number.isInteger(r.fitness * 8) && r.fitness >= 0 && r.fitness <= 1).toBe(true);
    await expect(searchCommand(['--ckpt', ckpt, '--data', 'synthetic'])).rejects.toThrow(/need --fitness accuracy/);
  });

  it('refuses a missing or unreadable checkpoint', async () => {
    await expect(searchCommand([])).rejects.toThrow(/missing --ckpt/);
    await expect(searchCommand(['--ckpt', join(dir, 'nope.ckpt')])).rejects.toThrow(/--ckpt: cannot read .*nope\.ckpt: ENOENT/);
  });
});

describe('export command', () => {
  it('json: a versioned export that imports back; --arch best is the argmax', async () => {
    const arch = '3,-1,0,4,0,-1,-1,0,4,-1,4,4,1,4,2,0,0,4,0,2,2';
    const out = await exportCommand(['--ckpt', ckpt, '--arch', arch]);
    const back = importSubnet(JSON.stringify(out), 'out.json');
    expect(back).toEqual(out);
    expect(formatArch(back.choices)).toBe(arch);
    expect([back.space, back.seed, back.init, back.fitness.rule]).toEqual(['bnnas-mbv2', 5, recipe.init, 'dirf']);
    const best = importSubnet(await exportCommand(['--ckpt', ckpt, '--arch', 'best', '--rule', 'bnnas']), 'best.json');
    expect(best.choices).toEqual(bestArch(best.indicators, 'bnnas'));
  });

  it('timm: arch_def with stem_size / num_features at the checkpoint width', async () => {
    const out = (await exportCommand(['--ckpt', ckpt, '--arch', 'best', '--format', 'timm'])) as { arch_def: string[][]; stem_size: number; num_features: number; expected: { macs: number } };
    expect(out.arch_def[0]).toEqual(['ds_r1_k3_s1_c8_nr6']);
    expect(out.stem_size).toBe(16); // make_divisible(40 * 0.25, 8)
    expect(out.num_features).toBe(1728); // the head only widens
    expect(out.arch_def.flat().every((s) => /^(ir|ds)_r1_k\d_s[12]_(e\d_)?c\d+_nr6$/.test(s))).toBe(true);
  });

  it.each([
    [['--arch', '1,2'], /--arch: architecture has 2 choices/],
    [['--arch', '0', '--format', 'onnx'], /--format must be one of json, timm/],
    [['--format', 'json'], /missing --arch/],
  ])('%j is a usage error', async (args, message) => {
    await expect(exportCommand(['--ckpt', ckpt, ...args])).rejects.toThrow(message);
  });
});
