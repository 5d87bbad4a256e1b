// `retrain` and `rankcorr` called directly (no child process), at tiny sizes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSubnetCheckpointMeta } from '../../core/retrain/checkpoint.ts';
import { exportSubnet } from '../../core/search/export.ts';
import { archCost, getSpace, resolveSpace } from '../../core/space/index.ts';
import { useCpuBackend } from '../../core/testing/tfCpu.ts';
import { UsageError } from '../args.ts';
import { rankcorrCommand } from './rankcorr.ts';
import { retrainCommand } from './retrain.ts';

const dir = mkdtempSync(join(tmpdir(), 'isonas-retrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(useCpuBackend);

const config = { resolution: 8, widthMult: 0.25, numClasses: 3, identity: true };
const rs = resolveSpace(getSpace('bnnas-mbv2'), config);
const SHALLOW = rs.layers.map((l) => l.choices[0]).join(',');
const TINY = ['--res', '8', '--width', '0.25', '--classes', '3', '--batch', '4'];

describe('retrain command', () => {
  it('streams one line per step, reports top-1 / top-5 and cost, and writes a checkpoint', async () => {
    const out = join(dir, 'sub.ckpt');
    const lines: Array<Record<string, number>> = [];
    const r = (await retrainCommand(['--space', 'bnnas-mbv2', '--arch', SHALLOW, '--data', 'synthetic', '--steps', '2', ...TINY, '--eval-batches', '2', '--out', out, '--json'], (l) => lines.push(l as Record<string, number>))) as Record<string, unknown>;
    expect(lines.map((l) => l.step)).toEqual([0, 1]);
    for (const l of lines) expect(Number.isFinite(l.loss)).toBe(true);
    expect(r.steps).toBe(2);
    expect(r.images).toBe(8);
    expect(r.top5).toBe(1); // 3 classes
    expect(r.top1).toBeGreaterThanOrEqual(0);
    expect(r.arch).toBe(SHALLOW);
    expect(r.params).toBe(archCost(getSpace('bnnas-mbv2'), config, SHALLOW.split(',').map(Number)).params);
    const meta = readSubnetCheckpointMeta(readFileSync(out), out);
    expect(meta.step).toBe(2);
    expect(meta.eval?.top1).toBe(r.top1);
    expect(meta.recipe.arch.join(',')).toBe(SHALLOW);
  });

  it('--arch reads an export JSON file, taking its space and config', async () => {
    const arch = SHALLOW.split(',').map(Number);
    const table = { layers: rs.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 1) })) };
    const file = join(dir, 'pick.json');
    writeFileSync(file, JSON.stringify(exportSubnet({ space: 'bnnas-mbv2', config, seed: 0, init: 'orthogonal', table }, arch, 'bnnas')));
    const r = (await retrainCommand(['--arch', file, '--steps', '1', '--batch', '4', '--eval-batches', '1'], () => {})) as { config: unknown; space: string };
    expect(r.space).toBe('bnnas-mbv2');
    expect(r.config).toEqual(config);
  });

  it.each([
    [['--space', 'bnnas-mbv2', '--steps', '1'], /missing --arch/],
    [['--space', 'bnnas-mbv2', '--arch', '1,2', '--steps', '1'], /architecture has 2 choices/],
    [['--space', 'bnnas-mbv2', '--arch', SHALLOW], /exactly one of --epochs N and --steps N/],
    [['--space', 'bnnas-mbv2', '--arch', SHALLOW, '--steps', '1', '--epochs', '1'], /exactly one of --epochs N and --steps N/],
    [['--space', 'bnnas-mbv2', '--arch', SHALLOW, '--steps', '1', '--batch', '1'], /batch must be an integer >= 2/],
    [['--arch', join(dir, 'none.json'), '--steps', '1'], /--arch: cannot read .*none\.json: ENOENT/],
  ])('%j is a usage error', async (args, message) => {
    const run = retrainCommand(args, () => {});
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toBeInstanceOf(UsageError);
  });
});

describe('rankcorr command', () => {
  it('runs the experiment end to end at a tiny size: K subnets, one supernet per init, correlations per rule, no leaks', async () => {
    const lines: Array<{ phase: string }> = [];
    const before = tf.memory().numTensors;
    const r = (await rankcorrCommand(
      ['--space', 'bnnas-mbv2', '--data', 'synthetic', '--k', '2', '--supernet-steps', '1', '--retrain-steps', '1', '--inits', 'orthogonal,he-normal', '--seed', '1', ...TINY, '--eval-batches', '1', '--sampler', 'uniform'],
      (l) => lines.push(l as { phase: string }),
    )) as { subnets: Array<{ arch: string; macs: number; top1: number }>; supernets: Array<{ init: string; fitness: Record<string, number[]>; correlation: Record<string, unknown> }>; stopped: boolean };
    expect(tf.memory().numTensors).toBe(before); // supernets, retrains and batches all freed
    expect(r.stopped).toBe(false);
    expect(r.subnets).toHaveLength(2);
    expect(r.subnets[0].macs).toBeLessThanOrEqual(r.subnets[1].macs); // strata cheapest first
    expect(r.supernets.map((s) => s.init)).toEqual(['orthogonal', 'he-normal']);
    for (const s of r.supernets) {
      expect(Object.keys(s.correlation)).toEqual(['dirf', 'bnnas']);
      expect(s.fitness.dirf).toHaveLength(2);
    }
    expect(lines.filter((l) => l.phase === 'supernet')).toHaveLength(2);
    expect(lines.filter((l) => l.phase === 'subnet')).toHaveLength(2);
  });

  it('--top/--bottom/--random: each supernet picks its own indicator extremes; each distinct subnet is retrained once', async () => {
    const r = (await rankcorrCommand(
      ['--space', 'demo-mbv2', '--data', 'synthetic', '--planted', '1', '--planted-only', '--top', '2', '--bottom', '1', '--random', '1', '--supernet-steps', '1', '--retrain-steps', '1', '--inits', 'orthogonal,he-normal', '--seed', '2', ...TINY, '--eval-batches', '1', '--sampler', 'uniform'],
      () => {},
    )) as { planted: number; subnets: Array<{ arch: string; stratum: number | null }>; supernets: Array<{ fitness: Record<string, number[]>; selected: Array<{ index: number; group: string }>; correlation: Record<string, { kendallTau: number }> }> };
    expect(r.planted).toBe(1);
    const archs = r.subnets.map((s) => s.arch);
    expect(new Set(archs).size).toBe(archs.length); // each retrained once
    for (const s of r.subnets) expect(s.stratum).toBeNull();
    const used = new Set<number>();
    for (const sn of r.supernets) {
      expect(sn.selected.map((s) => s.group)).toEqual(['top', 'top', 'bottom', 'random']);
      const f = sn.selected.map((s) => sn.fitness.dirf[s.index]);
      // the extremes under the first rule: top >= random >= bottom, and no other subnet beats the top
      expect(f[0]).toBeGreaterThanOrEqual(f[1]);
      expect(f[1]).toBeGreaterThanOrEqual(f[3]);
      expect(f[3]).toBeGreaterThanOrEqual(f[2]);
      for (const x of sn.fitness.dirf) expect(x).toBeLessThanOrEqual(f[0]);
      for (const s of sn.selected) used.add(s.index);
      expect(Object.keys(sn.correlation)).toEqual(['dirf', 'bnnas']);
    }
    expect(used.size).toBe(r.subnets.length); // nothing retrained that no supernet selected
  });

  it.each([
    [['--k', '2', '--top', '1'], /exclude each other/],
    [['--top', '1', '--bottom', '0'], /at least 2 subnets/],
    [['--planted-only'], /--planted-only needs --planted/],
    [['--k', '1'], /--k must be an integer >= 2/],
    [['--inits', 'orthogonal,xavier'], /--inits: "xavier" is not one of/],
    [['--rules', 'dirf,dirf'], /--rules: repeated entry/],
  ])('%j is a usage error', async (args, message) => {
    const base = ['--space', 'bnnas-mbv2', ...(args.includes('--top') ? [] : ['--k', '2']), '--supernet-steps', '1', '--retrain-steps', '1', ...TINY];
    await expect(rankcorrCommand([...base, ...args], () => {})).rejects.toThrow(message);
  });
});
