// Hostile and careless inputs (the table in docs/data.md, "Bad input"), each called in-process on the CLI's own command
// functions and readers (no child process): every row either gives a clear message naming the
// value, the limit and the flag or file, or trains on with the good samples. Huge files are sparse
// (truncate), so they cost no disk and no memory unless something reads them whole.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { jpegBytes, jpegClaiming, pngBytes, pngClaiming } from '../core/data/fixtures/images.ts';
import { writeParquet } from '../core/data/fixtures/parquetWriter.ts';
import { collect } from '../core/data/fixtures/streams.ts';
import { tarArchive, tarEntry } from '../core/data/fixtures/tarWriter.ts';
import { imageDimensions } from '../core/data/images/imageHeader.ts';
import { readImageFolder, type FolderEntry } from '../core/data/formats/imageFolder.ts';
import { bytesFile } from '../core/data/open/fileLike.ts';
import { readParquet } from '../core/data/formats/parquet.ts';
import type { DataIssue } from '../core/data/formats/shard.ts';
import { resolveRecipe } from '../core/train/recipe.ts';
import { checkJsonText, LIMITS, LimitError } from '../core/limits.ts';
import { jsImageDecoder } from '../core/platform/jsDecoder.ts';
import { importSubnet } from '../core/search/export.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { loadCheckpoint, readCheckpointMeta } from '../core/train/checkpoint.ts';
import { CheckpointError, encodeCheckpoint } from '../core/train/checkpointCodec.ts';
import { estimateStepMemory } from '../core/train/stepMemory.ts';
import { Trainer } from '../core/train/trainer.ts';
import { parse, UsageError } from './args.ts';
import { main } from './main.ts';
import { costCommand } from './commands/cost.ts';
import { retrainCommand } from './commands/retrain.ts';
import { scoresCommand } from './commands/scores.ts';
import { DivergenceError, trainCommand } from './commands/train.ts';
import { openCliData } from './data.ts';
import { folderEntries, nodeFile } from './nodeFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'isonas-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(useCpuBackend);
afterEach(() => vi.restoreAllMocks());

const GiB = 1024 ** 3;
const enc = new TextEncoder();
const image = (c: number, k: number) => jpegBytes(12, 10, (x, y) => [c ? 220 : 30, (x * 12 + k * 9) % 256, y * 15], 90);

/** A sparse file of `size` bytes whose first (and optionally last) bytes are given. */
function sparse(path: string, size: number, head: Uint8Array = new Uint8Array(0), tail: Uint8Array = new Uint8Array(0)): void {
  writeFileSync(path, head);
  truncateSync(path, size);
  if (tail.length) {
    const fd = openSync(path, 'r+');
    writeSync(fd, tail, 0, tail.length, size - tail.length);
    closeSync(fd);
  }
}

/** The message a promise or function rejects / throws with. */
async function messageOf(f: () => unknown): Promise<{ message: string; error: unknown }> {
  try {
    await f();
  } catch (e) {
    return { message: (e as Error).message, error: e };
  }
  throw new Error('expected a refusal, got a result');
}



/** A checkpoint holding `meta` (and `tensors`), its CRC valid: what an edited file looks like. */
function editedCheckpoint(edit: (meta: Record<string, unknown>) => void, tensors: Array<{ name: string; shape: number[]; data: Float32Array }> = []): Uint8Array {
  const meta: Record<string, unknown> = { kind: 'isonas-supernet', recipe: resolveRecipe('tiny'), step: 0, samplerRng: [1, 2, 3, 4] };
  edit(meta);
  return encodeCheckpoint({ meta, tensors });
}

const tinyTrain = ['--preset', 'tiny', '--steps', '2'];

describe('limits on flags (train, cost): a message naming the value, the limit and the flag', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['--width 1000', ['--width', '1000'], /--width 1000 is outside the limit 0\.05\.\.4/],
    ['--lr 1e308', ['--lr', '1e308'], /--lr 1e\+308 is outside the limit/],
    ['--res 1e5', ['--res', '100000'], /--res 100000 is outside the limit 8\.\.1024/],
    ['--classes 1e8', ['--classes', '100000000'], /--classes 100000000 is outside the limit 2\.\.10000/],
    ['--batch 1e8', ['--batch', '100000000'], /--batch 100000000 is outside the limit 2\.\.4096/],
    ['--batch 1e8 (exponent form)', ['--batch', '1e8'], /--batch must be an integer >= 2, got "1e8"/],
    ['--steps -1', ['--steps', '-1'], /--steps must be an integer >= 1, got "-1"/],
    ['--batch past 2^53', ['--batch', '90071992547409931'], /--batch 90071992547409931 is past 2\^53/],
    ['memory budget', ['--res', '1024', '--width', '4', '--batch', '64'], /one training step needs an estimated \d+ MiB .* over the 16384 MiB budget \(stepMemoryBytes\)/],
  ];
  it.each(cases)('%s', async (_name, extra, want) => {
    const emitted: object[] = [];
    const { message, error } = await messageOf(() => trainCommand([...tinyTrain, '--out', join(dir, 'never.ckpt'), ...extra], (l) => emitted.push(l)));
    expect(error).toBeInstanceOf(UsageError);
    expect(message).toMatch(want);
    expect(emitted).toEqual([]);
    expect(existsSync(join(dir, 'never.ckpt'))).toBe(false);
  });

  it('negative numbers reach the option check, not "ambiguous"', () => {
    expect(parse(['--lr', '-0.5', '--steps', '-1'], { lr: { type: 'string' }, steps: { type: 'string' } })).toMatchObject({ lr: '-0.5', steps: '-1' });
  });

  it('cost --res 100000000 is refused (no count past 2^53 is printed as exact)', async () => {
    const { message } = await messageOf(() => costCommand(['--space', 'bnnas-mbv2', '--arch', '3,-1,0,4,0,-1,-1,0,4,-1,4,4,1,4,2,0,0,4,0,2,2', '--res', '100000000']));
    expect(message).toMatch(/--res 100000000 is outside the limit 8\.\.1024/);
    // the largest configuration the limits allow still has exact counts
    const out = costCommand(['--space', 'bnnas-mbv2', '--arch', '3,-1,0,4,0,-1,-1,0,4,-1,4,4,1,4,2,0,0,4,0,2,2', '--res', '1024', '--width', '4', '--classes', '10000']) as { macs: number };
    expect(Number.isSafeInteger(out.macs)).toBe(true);
  });

  it('the step-memory estimate grows with width and batch as the parameter and activation counts say', () => {
    const r = resolveRecipe('tiny', { space: 'bnnas-mbv2' }); // the paper's space: its convs dominate the parameters
    const a = estimateStepMemory(r, 16);
    const b = estimateStepMemory(r, 32);
    const R = r.config.resolution;
    expect(b.bytes - a.bytes).toBe(4 * 16 * (3 * R * R + a.activationsPerImage));
    expect(estimateStepMemory({ ...r, config: { ...r.config, widthMult: 1 } }, 16).params).toBeGreaterThan(8 * a.params);
  });

  it('--out that cannot be written fails before any step', async () => {
    const emitted: object[] = [];
    const { message } = await messageOf(() => trainCommand([...tinyTrain, '--out', join(dir, 'no', 'such', 'dir', 'x.ckpt')], (l) => emitted.push(l)));
    expect(message).toMatch(/--out .*x\.ckpt: cannot write there \(ENOENT\)/);
    expect(emitted).toEqual([]);
  });
});

describe('divergence is an error', () => {
  it('a NaN loss stops train with the step, the value and the likely cause; the last good checkpoint stays', async () => {
    const out = join(dir, 'diverge.ckpt');
    const real = Trainer.prototype.step;
    vi.spyOn(Trainer.prototype, 'step').mockImplementation(async function (this: Trainer, x, y) {
      const r = await real.call(this, x, y);
      return r.step === 1 ? { ...r, loss: Number.NaN } : r;
    });
    const emitted: Array<{ step?: number }> = [];
    const { message, error } = await messageOf(() =>
      trainCommand(['--preset', 'tiny', '--res', '16', '--classes', '2', '--batch', '4', '--sampler', 'uniform', '--steps', '3', '--save-every', '1', '--out', out], (l) => emitted.push(l)),
    );
    expect(error).toBeInstanceOf(DivergenceError);
    expect(message).toMatch(/diverged at step 1: loss is NaN; likely cause: the learning rate \(.+\) is too high.*last good checkpoint \(step 1\) is kept/);
    expect(emitted.map((l) => l.step)).toEqual([0]);
    expect(readCheckpointMeta(new Uint8Array(readFileSync(out))).step).toBe(1);
  });

  it('scores refuses a checkpoint holding non-finite values', async () => {
    const path = join(dir, 'nan.ckpt');
    writeFileSync(path, editedCheckpoint(() => {}, [{ name: 'bn/stem.gamma', shape: [2], data: new Float32Array([1, Number.POSITIVE_INFINITY]) }]));
    const { message, error } = await messageOf(() => scoresCommand(['--ckpt', path]));
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('non-finite');
    expect(message).toContain('tensor "bn/stem.gamma" holds Infinity at element 1');
  });
});

describe('checkpoints are checked before anything is built', () => {
  it('widthMult 64 (CRC fixed) is refused from the metadata, no supernet built', async () => {
    const built = vi.spyOn(Trainer.prototype, 'dispose');
    const bytes = editedCheckpoint((m) => ((m.recipe as { config: { widthMult: number } }).config.widthMult = 64));
    const { message } = await messageOf(() => loadCheckpoint(bytes, 'edited.ckpt'));
    expect(message).toMatch(/^edited\.ckpt: recipe width 64 is outside the limit 0\.05\.\.4/);
    expect(built).not.toHaveBeenCalled();
  });

  it('step -5 (CRC fixed) is refused', async () => {
    const { message } = await messageOf(() => loadCheckpoint(editedCheckpoint((m) => (m.step = -5)), 'edited.ckpt'));
    expect(message).toBe('edited.ckpt: step -5 is not an integer in 0..100 (the recipe\'s steps)');
  });

  it('a checkpoint header nested past the JSON depth limit is refused before JSON.parse', async () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100; i++) deep = [deep];
    const { error, message } = await messageOf(() => readCheckpointMeta(encodeCheckpoint({ meta: deep, tensors: [] }), 'deep.ckpt'));
    expect((error as CheckpointError).code).toBe('header');
    expect(message).toMatch(/JSON nested deeper than 64 levels/);
  });

  it('a checkpoint file over the size limit is refused before it is read', async () => {
    const path = join(dir, 'huge.ckpt');
    sparse(path, 3 * GiB, enc.encode('ISONASCK'));
    const { message } = await messageOf(() => scoresCommand(['--ckpt', path]));
    expect(message).toMatch(/--ckpt .*huge\.ckpt: 3221225472 bytes \(3072 MiB\) exceeds the 1024 MiB limit \(maxCheckpointBytes\)/);
  });
});

describe('imports', () => {
  it('nested JSON as --arch is refused by depth and by size before it is parsed', async () => {
    expect(() => importSubnet('['.repeat(100_000), 'deep.json')).toThrow(/deep\.json: JSON nested deeper than 64 levels/);
    expect(() => checkJsonText(`"${'['.repeat(1000)}"`, 'x')).not.toThrow(); // brackets in a string are text
    const big = join(dir, 'big.json');
    sparse(big, 50 * 1024 * 1024, enc.encode('['));
    const { message } = await messageOf(() => retrainCommand(['--space', 'micro-mbv2', '--arch', big, '--steps', '1'], () => {}));
    expect(message).toMatch(/--arch .*big\.json: 52428800 bytes \(50 MiB\) exceeds the 16 MiB limit \(maxJsonBytes\)/);
  });
});

describe('huge files never crash Node', () => {
  it('a slice past the limit is refused before any memory is taken; reads go in chunks', async () => {
    const path = join(dir, 'sparse.bin');
    sparse(path, 3 * GiB, new Uint8Array([1, 2, 3]), new Uint8Array([7, 8, 9]));
    const f = nodeFile(path, 3 * GiB);
    await expect(f.slice(0, 3 * GiB)).rejects.toThrow(LimitError);
    expect([...new Uint8Array(await f.slice(3 * GiB - 3, 3 * GiB))]).toEqual([7, 8, 9]);
    const small = nodeFile(path, 3 * GiB, path, 2); // 2-byte reads: the chunking itself
    expect([...new Uint8Array(await small.slice(0, 5))]).toEqual([1, 2, 3, 0, 0]);
  });

  it('a 3 GiB image in an ImageFolder is reported (not read); the good images train on', async () => {
    const root = join(dir, 'f');
    mkdirSync(join(root, 'a'), { recursive: true });
    mkdirSync(join(root, 'b'), { recursive: true });
    writeFileSync(join(root, 'a', 'x.jpg'), image(0, 1));
    writeFileSync(join(root, 'b', 'y.jpg'), image(1, 2));
    sparse(join(root, 'b', 'h.jpg'), 3 * GiB);
    const issues: DataIssue[] = [];
    const read = readImageFolder(await folderEntries(root), { file: 'f', onIssue: (i) => issues.push(i) });
    const got = await collect(read);
    expect(got.map((s) => [s.key, s.label])).toEqual([['f/a/x.jpg', 0], ['f/b/y.jpg', 1]]);
    expect(issues.map((i) => [i.code, i.key])).toEqual([['record-too-large', 'f/b/h.jpg']]);
    expect(issues[0].reason).toContain('over the 67108864-byte limit (maxRecordBytes)');
  });

  it('a parquet whose footer length says 0xA0000000 is reported, not read', async () => {
    const magic = enc.encode('PAR1');
    const tail = new Uint8Array([0, 0, 0, 0xa0, ...magic]);
    const path = join(dir, 'footer.parquet');
    sparse(path, 3 * GiB, magic, tail);
    const issues: DataIssue[] = [];
    await collect(readParquet(nodeFile(path, 3 * GiB), { file: 'footer.parquet', onIssue: (i) => issues.push(i) }));
    expect(issues.map((i) => i.code)).toEqual(['parquet-invalid']);
    expect(issues[0].reason).toMatch(/footer length 2684354560 exceeds the 16777216-byte limit/);
    // and in a small file, a footer length past the end
    const real = writeParquet([{ image: { bytes: image(0, 0), path: 'n01440764_1.JPEG' }, label: 0 }]);
    new DataView(real.buffer, real.byteOffset).setUint32(real.length - 8, 0xa0000000, true);
    const more: DataIssue[] = [];
    await collect(readParquet(bytesFile('p.parquet', real), { file: 'p.parquet', onIssue: (i) => more.push(i) }));
    expect(more[0].reason).toMatch(/footer length 2684354560 is past the file/);
  });
});

describe('images: pixels from the header, PNG CRCs', () => {
  it('reads the size from JPEG and PNG headers', () => {
    expect(imageDimensions(image(0, 0))).toEqual({ width: 12, height: 10 });
    expect(imageDimensions(pngBytes(5, 3, () => [0, 0, 0]))).toEqual({ width: 5, height: 3 });
    expect(imageDimensions(jpegClaiming(image(0, 0), 10000, 10000))).toEqual({ width: 10000, height: 10000 });
  });

  it('a PNG bomb, a 10000x10000 JPEG and a PNG with a bad CRC are refused before decoding', async () => {
    const crop = () => ({ x: 0, y: 0, width: 1, height: 1 });
    await expect(jsImageDecoder.decode(pngClaiming(30000, 30000), 'png', crop, 4, 4)).rejects.toThrow(/30000x30000 = 900\.0 megapixels exceeds the 40 MP limit/);
    await expect(jsImageDecoder.decode(jpegClaiming(image(0, 0), 10000, 10000), 'jpg', crop, 4, 4)).rejects.toThrow(/10000x10000 = 100\.0 megapixels exceeds the 40 MP limit/);
    const bad = pngBytes(4, 4, () => [9, 9, 9]).slice();
    bad[bad.length - 20] ^= 0xff; // inside the IDAT data
    await expect(jsImageDecoder.decode(bad, 'png', crop, 4, 4)).rejects.toThrow(/PNG chunk "IDAT" at byte \d+ has a bad CRC/);
  });

  it('in a shard among good samples: each bad image is an issue naming the file and key, the batch is built from the rest', async () => {
    const bad = pngBytes(4, 4, () => [9, 9, 9]).slice();
    bad[bad.length - 20] ^= 0xff;
    const members: Uint8Array[] = [];
    const add = (key: string, cls: number, img: Uint8Array, ext: string) => members.push(tarEntry(`${key}.cls`, enc.encode(String(cls))), tarEntry(`${key}.${ext}`, img));
    for (let k = 0; k < 6; k++) add(`good${k}`, k % 2, image(k % 2, k), 'jpg');
    add('bomb', 0, pngClaiming(30000, 30000), 'png');
    add('bigjpeg', 1, jpegClaiming(image(0, 0), 10000, 10000), 'jpg');
    add('badcrc', 0, bad, 'png');
    const shard = join(dir, 'mixed.tar');
    writeFileSync(shard, tarArchive(members));
    const issues: DataIssue[] = [];
    const source = await openCliData({ data: [shard], valData: [shard], resolution: 8, numClasses: 2, seed: 1, augment: false, onIssue: (i) => issues.push(i) });
    try {
      const b = await source.trainBatch(0, 4);
      expect(b.size).toBe(4);
      for (let i = 0; i < 12; i++) await source.trainBatch(i, 4); // cycle through the shard
    } finally {
      await source.dispose();
    }
    const byKey = new Map(issues.map((i) => [i.key, i]));
    expect(byKey.get('bomb')?.reason).toMatch(/mixed\.tar, sample "bomb".*900\.0 megapixels exceeds the 40 MP limit/);
    expect(byKey.get('bigjpeg')?.reason).toMatch(/100\.0 megapixels/);
    expect(byKey.get('badcrc')?.reason).toMatch(/PNG chunk "IDAT" .* bad CRC/);
    expect([...byKey.keys()].filter((k) => k?.startsWith('good'))).toEqual([]);
  });
});

describe('ImageFolder as torchvision defines it', () => {
  const jpg = (p: string): FolderEntry => ({ relativePath: p, file: bytesFile(p, image(0, p.length)) });
  it('classes are the root\'s immediate subfolders holding images; root files and image-less folders are reported', async () => {
    const entries = [jpg('root/top.jpg'), jpg('root/classA/sub/1.jpg'), jpg('root/classA/2.jpg'), jpg('root/classB/3.jpg'), { relativePath: 'root/aaa/notes.txt', file: bytesFile('n', enc.encode('x')) }];
    const issues: DataIssue[] = [];
    const read = readImageFolder(entries, { file: 'root', onIssue: (i) => issues.push(i) });
    const got = await collect(read);
    expect(read.classNames).toEqual(['classA', 'classB']);
    expect(got.map((s) => [s.key, s.classIndex])).toEqual([['root/classA/2.jpg', 0], ['root/classA/sub/1.jpg', 0], ['root/classB/3.jpg', 1]]);
    expect(issues.map((i) => [i.code, i.key])).toEqual([['no-image', 'root/aaa/notes.txt'], ['no-label', 'root/top.jpg']]);
    expect(issues[1].reason).toContain('directly in the root folder');
  });

  it('a drop of several class folders (no shared root) takes them as the classes', async () => {
    const read = readImageFolder([jpg('dogs/1.jpg'), jpg('cats/x/2.jpg')], { file: 'drop' });
    const got = await collect(read);
    expect(read.classNames).toEqual(['cats', 'dogs']);
    expect(got.map((s) => s.classIndex)).toEqual([0, 1]);
  });
});

describe('exit codes (main, in-process)', () => {
  it('a limit is a usage error (exit 2, one line naming the flag); the help lists the ranges', async () => {
    const err: string[] = [];
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => (err.push(String(t)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((t) => (out.push(String(t)), true));
    expect(await main(['cost', '--space', 'bnnas-mbv2', '--arch', '1', '--width', '-2'])).toBe(2);
    expect(err).toEqual(['isonas cost: --width must be a number > 0, got "-2"\n']);
    expect(await main(['help'])).toBe(0);
    expect(out.join('')).toContain('--width 0.05..4');
  });
});

describe('limits are one table', () => {
  it('the flags and the recipe use the same numbers', async () => {
    const { message } = await messageOf(() => resolveRecipe('tiny', { config: { widthMult: LIMITS.widthMult.max * 2 } }));
    expect(message).toContain(`outside the limit ${LIMITS.widthMult.min}..${LIMITS.widthMult.max}`);
  });
});
