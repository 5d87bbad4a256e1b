// Cross-check against Python's own tarfile writer (PAX by default, a `././@PaxHeader` before every
// member when mtime is a float, as os.stat gives it; GNU format with `././@LongLink`; w:gz).
// Skipped, with the reason, where python3 is not installed.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng';
import { chunkedStream, collect, fakeImage } from '../fixtures/streams';
import { IMAGENET_SYNSETS } from '../labels/synsets';
import { readWebDataset } from './webdataset';

type SpawnSync = (cmd: string, args: string[], opts: { input: string; maxBuffer: number }) => { status: number | null; stdout: Uint8Array; stderr: Uint8Array; error?: Error };

// Imported through a variable so the worker tsconfig (no Node types) still compiles this file.
const childProcess = 'node:child_process';
const { spawnSync } = (await import(/* @vite-ignore */ childProcess)) as { spawnSync: SpawnSync };

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => {
  const r = spawnSync(p, ['-c', 'import tarfile'], { input: '', maxBuffer: 1 << 20 });
  return !r.error && r.status === 0;
});

const SCRIPT = `
import base64, io, json, sys, tarfile
spec = json.load(sys.stdin)
fmt = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT}[spec["format"]]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz" if spec["gzip"] else "w", format=fmt) as tf:
    for m in spec["members"]:
        data = base64.b64decode(m["data"])
        ti = tarfile.TarInfo(m["name"])
        ti.size = len(data)
        ti.mtime = 1700000000.25
        tf.addfile(ti, io.BytesIO(data))
sys.stdout.buffer.write(buf.getvalue())
`;

function b64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function pythonTar(members: { name: string; data: Uint8Array }[], format: 'pax' | 'gnu', gzip: boolean): Uint8Array {
  const spec = JSON.stringify({ format, gzip, members: members.map((m) => ({ name: m.name, data: b64(m.data) })) });
  const r = spawnSync(PYTHON as string, ['-c', SCRIPT], { input: spec, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python3 failed: ${new TextDecoder().decode(r.stderr)}`);
  return new Uint8Array(r.stdout);
}

describe.skipIf(!PYTHON)(`shards written by Python's tarfile${PYTHON ? '' : ' (skipped: python3 not found)'}`, () => {
  const rng = createRng(31);
  const enc = new TextEncoder();
  const samples = Array.from({ length: 12 }, (_, i) => {
    const c = rng.int(1000);
    const syn = IMAGENET_SYNSETS[c];
    const dir = i % 3 === 0 ? `${'very-long-directory-name/'.repeat(6)}` : i % 3 === 1 ? 'caf\u00e9/' : '';
    return { key: `${dir}${syn}_${i}`, c, image: fakeImage(rng, 100 + rng.int(3000)), syn };
  });
  const members = samples.flatMap((s) => [
    { name: `${s.key}.cls`, data: enc.encode(String(s.c)) },
    { name: `${s.key}.jpg`, data: s.image },
    { name: `${s.key}.json`, data: enc.encode(JSON.stringify({ label: s.c, filename: `${s.syn}_1.JPEG` })) },
  ]);

  for (const format of ['pax', 'gnu'] as const) {
    for (const gzip of [false, true]) {
      it(`reads ${format}${gzip ? ' .tar.gz' : ''}`, async () => {
        const bytes = pythonTar(members, format, gzip);
        for (const seed of [1, 2, 3]) {
          const r = readWebDataset(chunkedStream(bytes, createRng(seed), seed === 1 ? 7 : 4000), { file: 'py.tar' });
          const got = await collect(r);
          expect(r.stats.issues).toEqual([]);
          expect(got.map((g) => [g.key, g.classIndex, g.synset])).toEqual(samples.map((s) => [s.key, s.c, s.syn]));
          got.forEach((g, i) => expect(g.image.join(',') === samples[i].image.join(','), g.key).toBe(true));
          // PAX: one ././@PaxHeader per member (float mtime); GNU: a ././@LongLink per long name
          if (format === 'pax') expect(r.stats.members).toBe(2 * members.length);
          else expect(r.stats.members).toBe(members.length + members.filter((m) => enc.encode(m.name).length > 100).length);
          expect(r.stats.compressed).toBe(gzip);
        }
      });
    }
  }
});
