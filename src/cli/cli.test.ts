// The CLI as a user runs it: a child process, JSON on stdout, exit codes, one-line errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'isonas-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/isonas.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('isonas CLI', () => {
  it('cost prints exact MACs and params at the 224 / 1000 reference', () => {
    const r = cli('cost', '--space', 'bnnas-mbv2', '--arch', '3,-1,0,4,0,-1,-1,0,4,-1,4,4,1,4,2,0,0,4,0,2,2');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ macs: 471_822_240, params: 5_228_536 });
  });

  it('cost at another config also reports the reference', () => {
    const r = cli('cost', '--space', 'spos-shufflenetv2', '--arch', '2,1,0,1,2,0,2,0,2,0,2,3,0,0,0,0,3,2,3,3', '--res', '32', '--classes', '10');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reference).toEqual({ macs: 322_918_720, params: 3_558_464 });
    expect(out.macs).toBeLessThan(out.reference.macs);
  });

  it.each([
    [['cost', '--space', 'bnnas-mbv2', '--arch', '3,-1,0'], /21 searchable layers/],
    [['cost', '--space', 'bnnas-mbv2', '--arch=-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0'], /layer 0: identity/],
    [['cost', '--space', 'nope', '--arch', '1'], /--space must be one of/],
    [['cost', '--space', 'bnnas-mbv2', '--arch', '1', '--bogus', '2'], /Unknown option '--bogus'/],
    [['train', '--preset', 'tiny', '--steps', 'many', '--out', 'x.ckpt'], /--steps must be an integer/],
    [['train', '--preset', 'tiny', '--steps', '3', '--out', 'x.ckpt', '--data', '/no/such/shards'], /--data \/no\/such\/shards: no such file or directory/],
    [['scores', '--ckpt', 'package.json'], /package\.json: not an isonas checkpoint/],
    [['train', '--preset', 'tiny', '--steps', '1', '--out', 'x.ckpt', '--threads', '0'], /--threads "0" is not an integer from 1 to 1024/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j fails with exit 2 and one line saying what is wrong', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('train streams one JSON line per step and writes a checkpoint that scores reads', () => {
    const ckpt = join(dir, 'run.ckpt');
    const args = ['--preset', 'tiny', '--space', 'bnnas-mbv2', '--res', '16', '--classes', '4', '--batch', '4', '--sampler', 'uniform', '--seed', '3'];
    const r = cli('train', ...args, '--steps', '2', '--out', ckpt, '--threads', '2');
    expect(r.code).toBe(0);
    // --threads 2 is accepted; the engine says it computes on one thread (Node), and why on stderr.
    expect(r.stderr).toMatch(/isonas train: --threads 2: the (wasm|cpu) backend computes on 1 thread in Node/);
    const start = r.stderr.split('\n').find((l) => l.startsWith('{"recipe"'));
    expect(JSON.parse(start ?? '{}').engine).toMatchObject({ threads: 1, threadsRequested: 2 });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([0, 1]);
    for (const l of lines) {
      expect(Number.isFinite(l.loss)).toBe(true);
      expect(l.acc).toBeGreaterThanOrEqual(0);
      expect(l.lr).toBeGreaterThan(0);
    }
    expect(readFileSync(ckpt).subarray(0, 8).toString('ascii')).toBe('ISONASCK');
    const s = cli('scores', '--ckpt', ckpt);
    expect(s.code).toBe(0);
    const table = JSON.parse(s.stdout);
    expect(table.step).toBe(2);
    expect(table.space).toBe('bnnas-mbv2');
    expect(table.layers).toHaveLength(21);
    expect(table.layers[1].choices[0]).toBe(-1);
    expect(table.layers[1].scores).toHaveLength(7);

    const found = cli('search', '--ckpt', ckpt, '--rule', 'dirf');
    expect(found.code).toBe(0);
    const result = JSON.parse(found.stdout);
    expect(result.top.length).toBeGreaterThan(0);
    for (const t of result.top) expect(String(t.arch).split(',')).toHaveLength(21); // "3,-1,0,..."
    const exported = cli('export', '--ckpt', ckpt, '--arch', result.top[0].arch, '--format', 'json');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout).choices.join(',')).toBe(result.top[0].arch);
  });
});
