// Live isometry from the command line: train --watch streams spectrum lines and keeps them in the
// .history sidecar; the on-demand lens on a checkpoint finds the same spectra; compare reads
// checkpoints and run files. Child processes, as a user runs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESET_SETTINGS } from '../worker/protocol/index.ts';
import { encodeRunFile } from '../worker/persist/runFile.ts';
import { newRunRecord } from '../worker/persist/runRecord.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../core/train/checkpointCodec.ts';
import { decodeHistory, historyPath } from './history.ts';

const dir = mkdtempSync(join(tmpdir(), 'isonas-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/isonas.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const RECIPE = ['--preset', 'tiny', '--space', 'bnnas-mbv2', '--res', '16', '--classes', '4', '--batch', '4', '--sampler', 'uniform', '--seed', '3'];
const WATCH = ['--watch', '1:-1,0', '--watch-share', '1'];
const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l));

describe('isonas train --watch, isometry --batch-index, compare', () => {
  it('streams spectra that the lens reproduces from the checkpoint, keeps them, and compares runs', () => {
    const a = join(dir, 'a.ckpt');
    const b = join(dir, 'b.ckpt');
    const ra = cli('train', ...RECIPE, '--steps', '3', '--save-every', '1', '--out', a, ...WATCH);
    expect(ra.code, ra.stderr).toBe(0);
    const out = lines(ra.stdout);
    const spectra = out.filter((l) => l.type === 'spectrum');
    expect(out.filter((l) => l.type === undefined).map((l) => l.step)).toEqual([0, 1, 2]);
    expect(spectra.map((l) => [l.step, l.layer, l.choice])).toEqual([0, 1, 2].flatMap((k) => [[k, 1, -1], [k, 1, 0]]));
    for (const l of spectra) expect(l.hist.reduce((x: number, y: number) => x + y, 0) + l.under + l.over).toBe(l.count);
    expect(ra.stderr).toContain('"watchSummary"');

    // watching changes nothing: the same run without --watch writes the same checkpoint bytes
    const rb = cli('train', ...RECIPE, '--steps', '3', '--out', b);
    expect(rb.code, rb.stderr).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);

    // the lens on the checkpoint after step 2, on step 2's batch, at the watch's tile
    const iso = cli('isometry', '--ckpt', a, '--batch', '4', '--batch-index', '2', '--layers', '1', '--choices=-1,0', '--tile', '4', '--max-dim', '256', '--no-depth', '--json');
    expect(iso.code, iso.stderr).toBe(0);
    const modules = JSON.parse(iso.stdout).modules as Array<Record<string, number> & { hist: { counts: number[] } }>;
    const streamed = spectra.filter((l) => l.step === 2);
    expect(modules.map((m) => m.choice)).toEqual([-1, 0]);
    modules.forEach((m, i) => {
      for (const key of ['meanSq', 'varSq', 'min', 'max']) expect(Math.abs(streamed[i][key] - m[key])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(m[key])));
      expect(streamed[i].hist).toEqual(m.hist.counts);
    });

    // resume with watching: the sidecar continues the curves and the series. (The checkpoint's
    // schedule ends at step 3; a copy with a 5-step horizon stands for a run interrupted at step 3.)
    const ck = decodeCheckpoint(readFileSync(a), 'a.ckpt');
    const meta = ck.meta as { recipe: { totalSteps: number } };
    meta.recipe.totalSteps = 5;
    const a3 = join(dir, 'a3.ckpt');
    writeFileSync(a3, encodeCheckpoint(ck));
    writeFileSync(historyPath(a3), readFileSync(historyPath(a)));
    const a5 = join(dir, 'a5.ckpt');
    const rc = cli('train', '--resume', a3, '--steps', '5', '--out', a5, ...WATCH);
    expect(rc.code, rc.stderr).toBe(0);
    const h = decodeHistory(readFileSync(historyPath(a5)), 'a5.history');
    expect(h.loss).toHaveLength(5);
    expect(h.loss.slice(0, 3)).toEqual(out.filter((l) => l.type === undefined).map((l) => Math.fround(l.loss)));
    expect(Array.from(new Set(h.watch?.step))).toEqual([0, 1, 2, 3, 4]);

    // compare: a checkpoint (+ sidecar) against the plain run, then a run file against the checkpoint
    const c1 = cli('compare', a5, b, '--json');
    expect(c1.code, c1.stderr).toBe(0);
    const r1 = JSON.parse(c1.stdout);
    expect(r1.curves).toMatchObject({ stepsA: 5, stepsB: 3, common: 3, meanLossDiff: 0 });
    expect(r1.indicators.stepA).toBe(5);
    expect(r1.indicators.tauLayers).toBeGreaterThan(0);
    expect(r1.spectra).toEqual([]); // b watched nothing
    expect(r1.a.watched).toEqual([
      { layer: 1, choice: -1, entries: 5 },
      { layer: 1, choice: 0, entries: 5 },
    ]);

    const record = newRunRecord({ id: 'run-x-0000001', now: 1, preset: 'tiny', settings: PRESET_SETTINGS.tiny, data: 'synthetic', totalSteps: 100 });
    const runFile = join(dir, 'a.isonas-run');
    const metrics = { loss: Float32Array.from(h.loss), acc: Float32Array.from(h.acc), lr: Float32Array.from(h.lr) };
    writeFileSync(runFile, encodeRunFile({ record: { ...record, step: 5, checkpointStep: 5, metrics, ...(h.watch ? { watch: h.watch } : {}) }, checkpoint: readFileSync(a5) }));
    const c2 = cli('compare', runFile, a5);
    expect(c2.code, c2.stderr).toBe(0);
    const r2 = JSON.parse(c2.stdout);
    expect(r2.a.kind).toBe('run-file');
    expect(r2.indicators.tau).toBe(1);
    expect(r2.indicators.diff.every((d: number) => d === 0)).toBe(true);
    expect(r2.spectra.map((s: { commonSteps: number; meanLog10MeanSqRatio: number; lastHistogramTV: number }) => [s.commonSteps, s.meanLog10MeanSqRatio, s.lastHistogramTV])).toEqual([
      [5, 0, 0],
      [5, 0, 0],
    ]);
  }, 600_000);

  it.each([
    [['train', ...RECIPE, '--steps', '1', '--out', 'x.ckpt', '--watch', '99'], /--watch: watch list "99": layer 99 is not in 0\.\.20/],
    [['train', ...RECIPE, '--steps', '1', '--out', 'x.ckpt', '--watch-share', '0.2'], /--watch-share needs --watch LIST/],
    [['train', ...RECIPE, '--steps', '1', '--out', 'x.ckpt', '--watch', '1;;2'], /--watch: watch list "1;;2": empty group/],
    [['compare', 'package.json'], /compare needs two runs/],
    [['compare', 'package.json', 'package.json'], /RUN_A package\.json: neither a checkpoint/],
  ])('%j fails with exit 2 and one line', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
