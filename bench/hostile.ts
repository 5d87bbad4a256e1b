// `npm run -s bench -- --hostile [--json]` (or `npx tsx bench/hostile.ts`): the hostile inputs of docs/data.md through the real CLI, one child
// process each (bench/hostileChild.ts), with the exit code, the first stderr line and the peak RSS
// (getrusage maxRSS of the child). Huge files are sparse. The claim checked: every case ends with
// a clear message or trains on with the good samples, under 1 GiB of RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRecipe } from '../src/core/train/recipe.ts';
import { jpegBytes, jpegClaiming, pngBytes, pngClaiming } from '../src/core/data/fixtures/images.ts';
import { tarArchive, tarEntry } from '../src/core/data/fixtures/tarWriter.ts';
import { encodeCheckpoint } from '../src/core/train/checkpointCodec.ts';

const GiB = 1024 ** 3;
const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), 'isonas-hostile-bench-'));
const image = (c: number, k: number) => jpegBytes(24, 20, (x, y) => [c ? 220 : 30, (x * 12 + k * 9) % 256, y * 15], 90);

function sparse(path: string, size: number, head = new Uint8Array(0), tail = new Uint8Array(0)): string {
  writeFileSync(path, head);
  truncateSync(path, size);
  if (tail.length) {
    const fd = openSync(path, 'r+');
    writeSync(fd, tail, 0, tail.length, size - tail.length);
    closeSync(fd);
  }
  return path;
}



/** A tar of 8 good JPEGs (2 classes) plus the given bad images. */
function shardWith(name: string, bad: Record<string, Uint8Array>): string {
  const m: Uint8Array[] = [];
  for (let k = 0; k < 8; k++) m.push(tarEntry(`g${k}.cls`, enc.encode(String(k % 2))), tarEntry(`g${k}.jpg`, image(k % 2, k)));
  for (const [key, b] of Object.entries(bad)) m.push(tarEntry(`${key}.cls`, enc.encode('0')), tarEntry(`${key}.png`, b));
  const p = join(dir, name);
  writeFileSync(p, tarArchive(m));
  return p;
}

function ckpt(name: string, edit: (m: Record<string, unknown>) => void): string {
  const meta: Record<string, unknown> = { kind: 'isonas-supernet', recipe: resolveRecipe('tiny'), step: 0, samplerRng: [1, 2, 3, 4] };
  edit(meta);
  const p = join(dir, name);
  writeFileSync(p, encodeCheckpoint({ meta, tensors: [] }));
  return p;
}

const TRAIN = ['train', '--preset', 'tiny', '--res', '16', '--classes', '2', '--batch', '4', '--sampler', 'uniform', '--steps', '3', '--lr', '0.01', '--val-fraction', '0.2'];
const out = (n: string) => ['--out', join(dir, `${n}.ckpt`)];

function cases(): Array<[string, string[]]> {
  const f = join(dir, 'f');
  mkdirSync(join(f, 'a'), { recursive: true });
  mkdirSync(join(f, 'b'), { recursive: true });
  for (let k = 0; k < 4; k++) {
    writeFileSync(join(f, 'a', `x${k}.jpg`), image(0, k));
    writeFileSync(join(f, 'b', `y${k}.jpg`), image(1, k));
  }
  sparse(join(f, 'b', 'h.jpg'), 3 * GiB);
  sparse(join(f, 'a', 'big.jpg'), 1.5 * GiB);
  const magic = enc.encode('PAR1');
  const pq = sparse(join(dir, 'footer.parquet'), 3 * GiB, magic, new Uint8Array([0, 0, 0, 0xa0, ...magic]));
  const badCrc = pngBytes(8, 8, () => [9, 9, 9]).slice();
  badCrc[badCrc.length - 20] ^= 0xff;
  const nested = join(dir, 'nested.json');
  writeFileSync(nested, '['.repeat(50 * 1024 * 1024));
  const arch = '3,-1,0,4,0,-1,-1,0,4,-1,4,4,1,4,2,0,0,4,0,2,2';
  return [
    ['3 GiB + 1.5 GiB files in an ImageFolder', [...TRAIN, ...out('f'), '--data', f]],
    ['parquet footer length 0xA0000000 (3 GiB sparse)', [...TRAIN, ...out('pq'), '--data', pq]],
    ['--width 1000', [...TRAIN, ...out('w'), '--width', '1000']],
    ['checkpoint widthMult 64, CRC fixed', ['scores', '--ckpt', ckpt('w64.ckpt', (m) => ((m.recipe as { config: { widthMult: number } }).config.widthMult = 64))]],
    ['PNG bomb 30000x30000 in a shard', [...TRAIN, ...out('bomb'), '--data', shardWith('bomb.tar', { bomb: pngClaiming(30000, 30000) })]],
    ['10000x10000 JPEG header in a shard', [...TRAIN, ...out('jpg'), '--data', shardWith('bigjpg.tar', { bigjpeg: jpegClaiming(image(0, 0), 10000, 10000) })]],
    ['50 MB nested JSON as --arch', ['retrain', '--space', 'bnnas-mbv2', '--arch', nested, '--steps', '1']],
    ['--lr 1e308', [...TRAIN, ...out('lr'), '--lr', '1e308']],
    ['checkpoint step -5, CRC fixed', ['scores', '--ckpt', ckpt('s5.ckpt', (m) => (m.step = -5))]],
    ['cost --res 100000000', ['cost', '--space', 'bnnas-mbv2', '--arch', arch, '--res', '100000000']],
    ['--batch 1e8', [...TRAIN, ...out('b'), '--batch', '100000000']],
    ['--res 1e5', [...TRAIN, ...out('r'), '--res', '100000']],
    ['--classes 1e8', [...TRAIN, ...out('c'), '--classes', '100000000']],
    ['--steps -1', [...TRAIN, ...out('s'), '--steps', '-1']],
    ['PNG with a bad CRC in a shard', [...TRAIN, ...out('crc'), '--data', shardWith('crc.tar', { badcrc: badCrc })]],
    ['unwritable --out', [...TRAIN, '--out', join(dir, 'no', 'such', 'x.ckpt')]],
  ];
}

const rows: Array<{ case: string; exit: number | null; maxRssMiB: number | null; message: string }> = [];
try {
  for (const [name, args] of cases()) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/hostileChild.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
    const lines = r.stderr.trim().split('\n');
    const rss = lines.map((l) => (l.startsWith('{"maxRssMiB"') ? (JSON.parse(l) as { maxRssMiB: number }).maxRssMiB : null)).find((x) => x !== null) ?? null;
    const message = lines.find((l) => l.startsWith('isonas ')) ?? lines.filter((l) => l.includes('dataIssue')).map((l) => l.slice(0, 200)).join(' | ');
    rows.push({ case: name, exit: r.status, maxRssMiB: rss, message: message.slice(0, 300) });
    if (!process.argv.includes('--json')) process.stdout.write(`${name}: exit ${r.status}, peak RSS ${rss} MiB\n  ${message.slice(0, 300)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ rows })}\n`);
const worst = Math.max(...rows.map((r) => r.maxRssMiB ?? Infinity));
process.stdout.write(`worst peak RSS: ${worst} MiB (${worst < 1024 ? 'under' : 'OVER'} 1 GiB)\n`);
