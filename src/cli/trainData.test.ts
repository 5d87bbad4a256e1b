// `train --data` on image files from disk: a generated tar shard of tiny JPEGs with one corrupt
// image, an ImageFolder directory and a parquet file, through the CLI as a user runs it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jpegBytes, pngBytes } from '../core/data/fixtures/images.ts';
import { writeParquet } from '../core/data/fixtures/parquetWriter.ts';
import { tarArchive, tarEntry } from '../core/data/fixtures/tarWriter.ts';

const dir = mkdtempSync(join(tmpdir(), 'isonas-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/isonas.mjs', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const image = (c: number, k: number) => jpegBytes(20, 14, (x, y) => [c ? 220 : 30, (x * 12 + k * 9) % 256, y * 15], 90);
const jsonLines = (text: string) => text.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

describe('train --data', () => {
  it('trains 2 steps on a tar shard of JPEGs; the corrupt image is reported on stderr and skipped', () => {
    const entries: Uint8Array[] = [];
    for (let k = 0; k < 12; k++) {
      const c = k % 2;
      let img = image(c, k);
      if (k === 5) {
        img = img.slice();
        img.fill(0x33, 30);
      }
      entries.push(tarEntry(`s${k}.cls`, enc.encode(String(c)), { pax: 'python' }), tarEntry(`s${k}.jpg`, img, { pax: 'python' }));
    }
    const shard = join(dir, 'imagenet1k-train-0000.tar');
    writeFileSync(shard, tarArchive(entries));
    const ckpt = join(dir, 'tar.ckpt');
    const r = cli('train', '--preset', 'tiny', '--res', '16', '--classes', '2', '--batch', '4', '--sampler', 'uniform', '--steps', '2', '--out', ckpt, '--data', shard, '--shuffle-buffer', '4');
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((l) => l.step)).toEqual([0, 1]);
    for (const l of jsonLines(r.stdout)) expect(Number.isFinite(l.loss)).toBe(true);
    const err = jsonLines(r.stderr);
    expect(err[0].data).toMatch(/^shards: 1 input train/);
    const issues = err.filter((l) => l.dataIssue).map((l) => l.dataIssue);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: shard, code: 'undecodable-image', key: 's5' });
    expect(issues[0].reason).toContain(`${shard}, sample "s5"`);
    const stats = err.find((l) => l.dataStats)?.dataStats;
    expect(stats.decodeFailed).toBe(1);
    expect(stats.decoded).toBeGreaterThanOrEqual(8);
    expect(stats.classesSeen).toBe(2);
  });

  it('reads an ImageFolder directory and a parquet file together', () => {
    const root = join(dir, 'train');
    for (const [c, syn] of ['n01440764', 'n01443537'].entries()) {
      mkdirSync(join(root, syn), { recursive: true });
      for (let k = 0; k < 3; k++) writeFileSync(join(root, syn, `${syn}_${k}.JPEG`), k === 2 ? pngBytes(9, 7, () => [c * 200, 50, 50]) : image(c, k));
    }
    writeFileSync(join(root, 'n01440764', 'README.txt'), 'not an image');
    const pq = join(dir, 'train-00000-of-00001.parquet');
    writeFileSync(pq, writeParquet([0, 1, 0, 1].map((c, k) => ({ image: { bytes: image(c, k), path: `x${k}.JPEG` }, label: c })), { codec: 'SNAPPY', rowGroupSize: 2 }));
    const r = cli('train', '--preset', 'tiny', '--res', '16', '--classes', '2', '--batch', '4', '--sampler', 'uniform', '--steps', '1', '--out', join(dir, 'f.ckpt'), '--data', root, '--data', pq, '--augment', 'off');
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((l) => l.step)).toEqual([0]);
    const err = jsonLines(r.stderr);
    expect(err[0].data).toMatch(/^shards: 2 inputs train/);
    const issues = err.filter((l) => l.dataIssue).map((l) => l.dataIssue);
    expect(issues.map((i) => [i.code, i.key])).toEqual([['no-image', 'train/n01440764/README.txt']]);
  });
});
