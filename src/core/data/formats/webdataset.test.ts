import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../rng';
import { readShard } from '../open/readShard';
import { chunkedStream, collect, failingStream, fakeImage, gzip } from '../fixtures/streams';
import { headerBlock, tarArchive, tarEntry, writeChecksum, type EntryOptions } from '../fixtures/tarWriter';
import { selectClasses } from '../labels/labels';
import type { DataIssue, Sample } from './shard';
import { IMAGENET_SYNSETS } from '../labels/synsets';
import { readWebDataset, splitKey } from './webdataset';

const enc = new TextEncoder();

interface Expected {
  key: string;
  classIndex: number;
  image: Uint8Array;
}

interface Shard {
  bytes: Uint8Array;
  expected: Expected[];
  /** Start offset of every entry (member incl. its extension headers). */
  starts: number[];
}

/** A timm-style shard: per sample `.cls`, `.jpg`, `.json`, every member with a Python PAX header. */
function timmShard(rng: Rng, n: number, o: { imageBytes?: [number, number]; entry?: EntryOptions; prefix?: string } = {}): Shard {
  const entries: Uint8Array[] = [];
  const expected: Expected[] = [];
  const [lo, hi] = o.imageBytes ?? [50, 3000];
  for (let i = 0; i < n; i++) {
    const c = rng.int(1000);
    const syn = IMAGENET_SYNSETS[c];
    const key = `${o.prefix ?? ''}${syn}_${1000 + i}`;
    const image = fakeImage(rng, lo + rng.int(hi - lo + 1));
    const json = JSON.stringify({ label: c, width: 64, height: 48, filename: `${syn}_${1000 + i}.JPEG` });
    const opts: EntryOptions = o.entry ?? { pax: 'python' };
    entries.push(tarEntry(`${key}.cls`, enc.encode(String(c)), opts), tarEntry(`${key}.jpg`, image, opts), tarEntry(`${key}.json`, enc.encode(json), opts));
    expected.push({ key, classIndex: c, image });
  }
  const starts: number[] = [];
  let at = 0;
  for (const e of entries) {
    starts.push(at);
    at += e.length;
  }
  return { bytes: tarArchive(entries), expected, starts };
}

function read(bytes: Uint8Array, seed = 1, maxChunk = 700, extra: Partial<Parameters<typeof readWebDataset>[1]> = {}) {
  const issues: DataIssue[] = [];
  const r = readWebDataset(chunkedStream(bytes, createRng(seed), maxChunk), { file: 'shard-0001.tar', onIssue: (i) => issues.push(i), ...extra });
  return { r, issues };
}

/** Byte equality without vitest's element-by-element deep equality (slow on MBs). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `synsetOptional`: a sample cut off before its .json member carries no synset. */
function expectSamples(got: Sample[], want: Expected[], file = 'shard-0001.tar', synsetOptional = false): void {
  expect(got.map((s) => s.key)).toEqual(want.map((w) => w.key));
  got.forEach((s, i) => {
    expect(s.classIndex).toBe(want[i].classIndex);
    expect(s.label).toBe(want[i].classIndex);
    if (!(synsetOptional && s.synset === undefined)) expect(s.synset).toBe(IMAGENET_SYNSETS[want[i].classIndex]);
    expect(s.imageExt).toBe('jpg');
    expect(s.file).toBe(file);
    expect(sameBytes(s.image, want[i].image), `image of ${s.key}`).toBe(true);
  });
}

describe('splitKey (webdataset base_plus_ext)', () => {
  it('splits at the first dot of the basename and lower-cases the extension', () => {
    expect(splitKey('a/b.left.JPG')).toEqual(['a/b', 'left.jpg']);
    expect(splitKey('n01440764_1.cls')).toEqual(['n01440764_1', 'cls']);
    expect(splitKey('dir.x/file.jpg')).toEqual(['dir.x/file', 'jpg']);
    expect(splitKey('noext')).toBeNull();
    expect(splitKey('dir.x/noext')).toBeNull();
    expect(splitKey('.hidden.jpg')).toBeNull();
    expect(splitKey('__key__')).toBeNull();
    expect(splitKey('__meta__.json__')).toBeNull();
    expect(splitKey('d/__x__.jpg')).toEqual(['d/__x__', 'jpg']);
  });
});

describe('readWebDataset on valid shards', () => {
  it('reads a Python-style PAX shard through randomly re-chunked streams', async () => {
    const shard = timmShard(createRng(11), 25);
    for (let seed = 1; seed <= 12; seed++) {
      const maxChunk = 1 + createRng(seed + 100).int(seed % 3 === 0 ? 8 : 3000);
      const { r, issues } = read(shard.bytes, seed, maxChunk);
      expectSamples(await collect(r), shard.expected);
      expect(issues).toEqual([]);
      expect(r.stats).toMatchObject({ samples: 25, members: 150, skipped: 0, done: true, abandoned: false, format: 'tar', compressed: false });
      expect(r.stats.bytes).toBe(shard.bytes.length); // through the end blocks
      expect(r.stats.perClass.reduce((a, b) => a + b, 0)).toBe(25);
    }
  });

  it('reads GNU long names, ustar prefixes, base-256 sizes and plain ustar', async () => {
    const longDir = `${'deep/'.repeat(30)}train`;
    for (const entry of [{ gnuLongName: true }, { ustarPrefix: true }, { base256Size: true }, {}, { pax: 'python' as const, base256Size: true }]) {
      const prefix = entry.gnuLongName || entry.ustarPrefix ? `${longDir}/` : '';
      const shard = timmShard(createRng(12), 6, { entry, prefix });
      const { r, issues } = read(shard.bytes, 2, 97);
      expectSamples(await collect(r), shard.expected);
      expect(issues).toEqual([]);
      if (prefix) expect(shard.expected[0].key.length).toBeGreaterThan(100);
    }
  });

  it('applies PAX path and size overrides, global records, and skips non-sample entries', async () => {
    const img = fakeImage(createRng(1), 700);
    const bytes = tarArchive([
      tarEntry('__index__', enc.encode('meta')),
      tarEntry('train', new Uint8Array(0), { type: '5' }),
      tarEntry('README', enc.encode('no dot: skipped')),
      tarEntry('short-name', enc.encode('3'), { pax: { path: 'train/a.cls', mtime: '1.5' } }),
      tarEntry('train/a.b.LEFT.JPG', img, { pax: { size: String(img.length) }, sizeField: 0 }),
      tarEntry('train/c.webp', img),
      tarEntry('train/c.cls', enc.encode('  17\n')),
      tarEntry('link', new Uint8Array(0), { type: '2' }),
    ]);
    const { r, issues } = read(bytes, 3, 50);
    const got = await collect(r);
    expect(issues).toEqual([]);
    expect(got.map((s) => [s.key, s.imageExt, s.classIndex, s.synset])).toEqual([
      ['train/a', 'jpg', 3, undefined],
      ['train/c', 'webp', 17, undefined],
    ]);
    expect(got[0].image).toEqual(img);
  });

  it('applies global PAX records (type g) to later members', async () => {
    const g = tarEntry('././@PaxHeader', enc.encode('17 comment=hello\n'), { type: 'g' });
    const img = fakeImage(createRng(2), 100);
    const bytes = tarArchive([g, tarEntry('k.cls', enc.encode('5')), tarEntry('k.png', img)]);
    const got = await collect(read(bytes).r);
    expect(got.map((s) => [s.key, s.imageExt, s.label])).toEqual([['k', 'png', 5]]);
  });

  it('groups only consecutive members, as webdataset does', async () => {
    const img = fakeImage(createRng(3), 100);
    const bytes = tarArchive([
      tarEntry('a.cls', enc.encode('1')),
      tarEntry('a.jpg', img),
      tarEntry('b.cls', enc.encode('2')),
      tarEntry('b.jpg', img),
      tarEntry('a.json', enc.encode('{"label": 1}')),
    ]);
    const { r, issues } = read(bytes);
    expect((await collect(r)).map((s) => s.key)).toEqual(['a', 'b']);
    expect(issues.map((i) => [i.code, i.key])).toEqual([['no-image', 'a']]);
    expect(r.stats.skipped).toBe(1);
  });

  it('reads .tar.gz through DecompressionStream, also via readShard', async () => {
    const shard = timmShard(createRng(13), 10);
    const gz = await gzip(shard.bytes);
    const { r } = read(gz, 4, 333);
    expectSamples(await collect(r), shard.expected);
    expect(r.stats.compressed).toBe(true);
    const s = await readShard(chunkedStream(gz, createRng(5), 100), { file: 'imagenet1k-train-0000.tar.gz' });
    expectSamples(await collect(s), shard.expected, 'imagenet1k-train-0000.tar.gz');
    expect(s.stats).toMatchObject({ format: 'tar', compressed: true, samples: 10 });
  });

  it('selects a class subset and remaps labels', async () => {
    const shard = timmShard(createRng(14), 40);
    const keep = [...new Set(shard.expected.map((e) => IMAGENET_SYNSETS[e.classIndex]))].slice(0, 3);
    const classes = selectClasses({ kind: 'synsets', synsets: keep });
    const { r } = read(shard.bytes, 1, 500, { classes });
    const got = await collect(r);
    const want = shard.expected.filter((e) => classes.labelOf[e.classIndex] >= 0);
    expect(got.map((s) => s.key)).toEqual(want.map((w) => w.key));
    for (const s of got) expect(s.label).toBe(keep.indexOf(IMAGENET_SYNSETS[s.classIndex]));
    expect(r.stats.filtered).toBe(40 - want.length);
    expect(r.stats.samples).toBe(want.length);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    const shard = timmShard(createRng(15), 10);
    const { r } = read(shard.bytes);
    for await (const s of r.samples) {
      expect(s.key).toBe(shard.expected[0].key);
      break;
    }
    expect(r.stats.done).toBe(true);
  });

  it('streams a multi-MB shard holding about one sample', async () => {
    const shard = timmShard(createRng(16), 40, { imageBytes: [100_000, 300_000] });
    expect(shard.bytes.length).toBeGreaterThan(6_000_000);
    const maxChunk = 65_536;
    const { r } = read(shard.bytes, 6, maxChunk);
    let n = 0;
    for await (const s of r.samples) {
      expect(sameBytes(s.image, shard.expected[n++].image)).toBe(true);
    }
    expect(n).toBe(40);
    const largest = Math.max(...shard.expected.map((e) => e.image.length));
    expect(r.stats.peakBufferedBytes).toBeGreaterThan(0);
    expect(r.stats.peakBufferedBytes).toBeLessThanOrEqual(largest + maxChunk);
  });
});

describe('readWebDataset on bad input', () => {
  const shard = timmShard(createRng(21), 8);

  it('skips a member whose header checksum fails and goes on', async () => {
    // entry 4 = sample 1's .jpg (PAX header first); flip a byte of its ustar header's name
    const bad = shard.bytes.slice();
    const at = shard.starts[4] + 1024 + 3;
    bad[at] ^= 0x20;
    const { r, issues } = read(bad, 7, 300);
    const got = await collect(r);
    expect(got.map((s) => s.key)).toEqual(shard.expected.filter((_, i) => i !== 1).map((e) => e.key));
    expect(issues.map((i) => i.code)).toEqual(['header-checksum', 'no-image']);
    expect(issues[0].reason).toMatch(/^shard-0001\.tar, byte \d+: header checksum mismatch/);
    expect(issues[0].offset).toBe(shard.starts[4] + 1024);
    expect(issues[1]).toMatchObject({ key: shard.expected[1].key });
    expect(issues[1].reason).toContain(`sample "${shard.expected[1].key}"`);
    expect(r.stats.skipped).toBe(1);
  });

  it('loses nothing but the records when a PAX header is corrupt', async () => {
    const bad = shard.bytes.slice();
    bad[shard.starts[4] + 20] ^= 0x01; // the ././@PaxHeader before sample 1's .jpg
    const { r, issues } = read(bad, 8, 300);
    expect((await collect(r)).map((s) => s.key)).toEqual(shard.expected.map((e) => e.key));
    expect(issues.map((i) => [i.code, i.offset])).toEqual([['header-checksum', shard.starts[4]]]);
    expect(issues[0].reason).toContain(`skipped 1024 bytes to the next valid header at byte ${shard.starts[4] + 1024}`);
  });

  it('treats a malformed or negative size like a bad header', async () => {
    for (const patch of [(b: Uint8Array) => b.set(new TextEncoder().encode('12x4567\0'), 124), (b: Uint8Array) => b.fill(0xff, 124, 136)]) {
      const bad = shard.bytes.slice();
      const h = bad.subarray(shard.starts[6] + 1024, shard.starts[6] + 1536); // sample 2's .cls header
      patch(h);
      writeChecksum(h);
      const { r, issues } = read(bad, 9, 300);
      const got = await collect(r);
      expect(got.map((s) => s.key)).toEqual(shard.expected.map((e) => e.key));
      expect(got[2].synset).toBe(IMAGENET_SYNSETS[shard.expected[2].classIndex]); // label from .json
      expect(issues.map((i) => i.code)).toEqual(['header-invalid']);
    }
  });

  it('counts every issue but keeps only maxIssues in full', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => tarEntry(`k${i}.cls`, new TextEncoder().encode('1')));
    const r = readWebDataset(chunkedStream(tarArchive(entries), createRng(1), 999), { file: 'f.tar', maxIssues: 5 });
    expect(await collect(r)).toEqual([]);
    expect(r.stats.issues).toHaveLength(5);
    expect(r.stats.issueCounts['no-image']).toBe(30);
    expect(r.stats.skipped).toBe(30);
  });

  it('accepts signed-sum checksums, as GNU tar does', async () => {
    const name = 'k\u00e9.cls'; // bytes over 127 make the signed and unsigned sums differ
    const b = headerBlock(name, 1);
    let signed = 0;
    for (let i = 0; i < 512; i++) signed += i >= 148 && i < 156 ? 32 : b[i] > 127 ? b[i] - 256 : b[i];
    b.fill(0x20, 148, 156);
    b.set(enc.encode(signed.toString(8).padStart(6, '0') + '\0'), 148);
    const data = new Uint8Array(512);
    data[0] = 0x34;
    const bytes = tarArchive([b, data, tarEntry('k\u00e9.jpg', fakeImage(createRng(1), 10))]);
    const { r, issues } = read(bytes);
    expect((await collect(r)).map((s) => [s.key, s.label])).toEqual([['k\u00e9', 4]]);
    expect(issues).toEqual([]);
  });

  it('calls a file with a bad first header or random bytes no tar', async () => {
    const bad = shard.bytes.slice();
    bad[10] ^= 1;
    const a = read(bad);
    expect(await collect(a.r)).toEqual([]);
    expect(a.issues.map((i) => i.code)).toEqual(['not-tar']);
    expect(a.issues[0].reason).toMatch(/^shard-0001\.tar, byte 0: not a tar archive/);
    const rng = createRng(22);
    const noise = new Uint8Array(5000).map(() => rng.int(256));
    noise[0] = 0; // not gzip
    const b = read(noise);
    expect(await collect(b.r)).toEqual([]);
    expect(b.issues.map((i) => i.code)).toEqual(['not-tar']);
    expect(b.r.stats.abandoned).toBe(true);
    const c = read(new Uint8Array(0));
    expect(await collect(c.r)).toEqual([]);
    expect(c.issues.map((i) => i.code)).toEqual(['empty-file']);
  });

  it('survives truncation at any offset, yielding only whole samples', async () => {
    const cuts = new Set<number>([100, 511, 512, 700, shard.bytes.length - 1024, shard.bytes.length - 1]);
    for (const s of shard.starts) [s, s + 300, s + 512, s + 1024 + 200, s + 1536 + 5].forEach((c) => cuts.add(c));
    for (const cut of cuts) {
      if (cut <= 0 || cut >= shard.bytes.length) continue;
      const { r, issues } = read(shard.bytes.subarray(0, cut), cut, 257);
      const got = await collect(r);
      expectSamples(got, shard.expected.slice(0, got.length), 'shard-0001.tar', true);
      const atBoundary = shard.starts.includes(cut) || cut >= shard.bytes.length - 1024;
      if (!atBoundary) {
        expect(issues.length, `cut at ${cut}`).toBeGreaterThan(0);
        const last = issues[issues.length - 1];
        // a cut inside the last member's padding leaves that member whole: its sample then lacks
        // the members that never came
        expect(['truncated', 'not-tar', 'no-image'], `cut at ${cut}`).toContain(last.code);
        expect(last.reason).toMatch(/^shard-0001\.tar, /);
      } else expect(issues.filter((i) => i.code === 'truncated'), `cut at ${cut}`).toEqual([]);
      expect(got.length + r.stats.skipped).toBeLessThanOrEqual(8);
    }
  });

  it('reports labels out of range, unparsable, unknown synsets and mismatches per sample', async () => {
    const img = fakeImage(createRng(4), 64);
    const bytes = tarArchive([
      tarEntry('a.cls', enc.encode('1000')),
      tarEntry('a.jpg', img),
      tarEntry('b.cls', enc.encode('-1')),
      tarEntry('b.jpg', img),
      tarEntry('c.cls', enc.encode('seven')),
      tarEntry('c.jpg', img),
      tarEntry('d.jpg', img),
      tarEntry('d.json', enc.encode('{"filename": "n99999999_1.JPEG"}')),
      tarEntry('e.cls', enc.encode('2')),
      tarEntry('e.jpg', img),
      tarEntry('e.json', enc.encode('{"label": 2, "filename": "n01440764_1.JPEG"}')),
      tarEntry('f.jpg', img),
      tarEntry('f.json', enc.encode('{not json')),
      tarEntry('g.jpg', img),
      tarEntry('ok.cls', enc.encode('999')),
      tarEntry('ok.jpeg', img),
    ]);
    const { r, issues } = read(bytes, 9, 40);
    expect((await collect(r)).map((s) => [s.key, s.label, s.imageExt])).toEqual([['ok', 999, 'jpeg']]);
    expect(issues.map((i) => [i.key, i.code])).toEqual([
      ['a', 'label-out-of-range'],
      ['b', 'label-out-of-range'],
      ['c', 'label-invalid'],
      ['d', 'unknown-synset'],
      ['e', 'label-mismatch'],
      ['f', 'label-invalid'],
      ['g', 'no-label'],
    ]);
    expect(issues[0].reason).toBe('shard-0001.tar, sample "a", byte 0: .cls label 1000 is outside 0..999');
    expect(r.stats.skipped).toBe(7);
    expect(r.stats.issueCounts['label-out-of-range']).toBe(2);
  });

  it('skips a sample with a repeated extension', async () => {
    const img = fakeImage(createRng(5), 64);
    const bytes = tarArchive([
      tarEntry('a.cls', enc.encode('1')),
      tarEntry('a.jpg', img),
      tarEntry('a.JPG', img),
      tarEntry('b.cls', enc.encode('2')),
      tarEntry('b.jpg', img),
    ]);
    const { r, issues } = read(bytes);
    expect((await collect(r)).map((s) => s.key)).toEqual(['b']);
    expect(issues.map((i) => [i.key, i.code])).toEqual([['a', 'repeated-extension']]);
    expect(issues[0].reason).toContain('".jpg" occurs twice');
  });

  it('skips members over the size limit', async () => {
    const img = fakeImage(createRng(6), 5000);
    const bytes = tarArchive([tarEntry('a.cls', enc.encode('1')), tarEntry('a.jpg', img), tarEntry('b.cls', enc.encode('2')), tarEntry('b.jpg', img.subarray(0, 100))]);
    const { r, issues } = read(bytes, 1, 100, { maxRecordBytes: 1000 });
    expect((await collect(r)).map((s) => s.key)).toEqual(['b']);
    expect(issues.map((i) => [i.key, i.code])).toEqual([['a', 'record-too-large']]);
  });

  it('reports a failing stream and a corrupt gzip as read errors', async () => {
    const a = readWebDataset(failingStream(shard.bytes.subarray(0, shard.starts[9]), 'disk gone'), { file: 'f.tar' });
    const got = await collect(a);
    expect(got.map((s) => s.key)).toEqual(shard.expected.slice(0, 3).map((e) => e.key));
    expect(a.stats.issues.map((i) => i.code)).toEqual(['read-error']);
    expect(a.stats.issues[0].reason).toMatch(/disk gone/);
    const gz = await gzip(shard.bytes);
    const bad = gz.slice(0, gz.length - 40);
    bad[200] ^= 0xff;
    const b = readWebDataset(chunkedStream(bad, createRng(3), 100), { file: 'f.tar.gz' });
    await collect(b);
    expect(b.stats.abandoned).toBe(true);
    expect(b.stats.issues.length).toBeGreaterThan(0);
  });
});
