import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../rng';
import { readShard } from '../open/readShard';
import { chunkedStream, collect, concat, failingStream, fakeImage, gzip } from '../fixtures/streams';
import { encodeExample, inceptionExample, tfdsExample, tfRecord } from '../fixtures/tfrecordWriter';
import { selectClasses } from '../labels/labels';
import { decodeExample } from './protobuf';
import type { DataIssue, ReaderOptions } from './shard';
import { IMAGENET_SYNSETS } from '../labels/synsets';
import { readTfRecord } from './tfrecord';

interface Expected {
  key: string;
  classIndex: number;
  image: Uint8Array;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Records of one layout; `starts` are record offsets. */
function shard(rng: Rng, n: number, layout: 'inception' | 'tfds', imageBytes: [number, number] = [50, 2000]) {
  const records: Uint8Array[] = [];
  const expected: Expected[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(1000);
    const syn = IMAGENET_SYNSETS[c];
    const image = fakeImage(rng, imageBytes[0] + rng.int(imageBytes[1] - imageBytes[0] + 1));
    const key = `${syn}_${i}.JPEG`;
    records.push(tfRecord(layout === 'inception' ? inceptionExample({ image, label1: c + 1, synset: syn, filename: key }) : tfdsExample({ image, label: c, fileName: key })));
    expected.push({ key, classIndex: c, image });
  }
  const starts: number[] = [];
  let at = 0;
  for (const r of records) {
    starts.push(at);
    at += r.length;
  }
  return { bytes: concat(records), expected, starts };
}

function read(bytes: Uint8Array, seed = 1, maxChunk = 500, extra: Partial<ReaderOptions> = {}) {
  const issues: DataIssue[] = [];
  const r = readTfRecord(chunkedStream(bytes, createRng(seed), maxChunk), { file: 'train-00000-of-01024', onIssue: (i) => issues.push(i), ...extra });
  return { r, issues };
}

describe('tf.train.Example decoding', () => {
  it('decodes bytes, packed and unpacked int64 and float lists, negative int64', () => {
    const ex = encodeExample({
      a: { bytes: ['x', new Uint8Array([1, 2, 3])] },
      b: { int64: [0, 1, 300, -1, 2 ** 40, -(2 ** 40)] },
      c: { int64: [5, -7], packed: false },
      d: { float: [0.5, -2.25] },
      e: { float: [1.5], packed: false },
    });
    const f = decodeExample(ex);
    expect(f.get('a')).toEqual({ kind: 'bytes', values: [new TextEncoder().encode('x'), new Uint8Array([1, 2, 3])] });
    expect(f.get('b')).toEqual({ kind: 'int64', values: [0, 1, 300, -1, 2 ** 40, -(2 ** 40)] });
    expect(f.get('c')).toEqual({ kind: 'int64', values: [5, -7] });
    expect(f.get('d')).toEqual({ kind: 'float', values: [0.5, -2.25] });
    expect(f.get('e')).toEqual({ kind: 'float', values: [1.5] });
  });

  it('rejects malformed messages with a ProtoError', () => {
    const ex = encodeExample({ a: { bytes: ['hello'] } });
    expect(() => decodeExample(ex.subarray(0, ex.length - 2))).toThrow(/runs past the end/);
    expect(() => decodeExample(new Uint8Array([0x0b]))).toThrow(/wire type/);
  });
});

describe('readTfRecord on valid shards', () => {
  for (const layout of ['inception', 'tfds'] as const) {
    it(`reads the ${layout} layout through randomly re-chunked streams`, async () => {
      const s = shard(createRng(layout === 'inception' ? 1 : 2), 20, layout);
      for (let seed = 1; seed <= 10; seed++) {
        const maxChunk = 1 + createRng(seed + 50).int(seed % 3 === 0 ? 10 : 2500);
        const { r, issues } = read(s.bytes, seed, maxChunk);
        const got = await collect(r);
        expect(issues).toEqual([]);
        expect(got.map((g) => g.key)).toEqual(s.expected.map((e) => e.key));
        got.forEach((g, i) => {
          expect(g.classIndex).toBe(s.expected[i].classIndex);
          expect(g.label).toBe(s.expected[i].classIndex);
          expect(g.synset).toBe(IMAGENET_SYNSETS[s.expected[i].classIndex]);
          expect(g.imageExt).toBe('jpeg');
          expect(g.offset).toBe(s.starts[i]);
          expect(sameBytes(g.image, s.expected[i].image)).toBe(true);
          expect(g.image.buffer.byteLength).toBe(g.image.length);
        });
        expect(r.stats).toMatchObject({ format: 'tfrecord', samples: 20, members: 20, skipped: 0, bytes: s.bytes.length, done: true, abandoned: false });
      }
    });
  }

  it('uses numeric labels when there is no synset (validation shards)', async () => {
    const img = fakeImage(createRng(3), 100);
    const bytes = concat([
      tfRecord(inceptionExample({ image: img, label1: 1000, filename: 'ILSVRC2012_val_00000001.JPEG', format: 'PNG' })),
      tfRecord(tfdsExample({ image: img, label: 0, fileName: 'ILSVRC2012_val_00000002.JPEG' })),
      tfRecord(tfdsExample({ image: img, label: 5 })),
    ]);
    const { r, issues } = read(bytes);
    expect((await collect(r)).map((s) => [s.key, s.classIndex, s.imageExt, s.synset])).toEqual([
      ['ILSVRC2012_val_00000001.JPEG', 999, 'png', undefined],
      ['ILSVRC2012_val_00000002.JPEG', 0, 'jpeg', undefined],
      ['#2', 5, 'jpeg', undefined],
    ]);
    expect(issues).toEqual([]);
  });

  it('reads gzip-compressed TFRecords, also via readShard, and applies a class subset', async () => {
    const s = shard(createRng(4), 30, 'tfds');
    const gz = await gzip(s.bytes);
    const classes = selectClasses({ kind: 'indices', indices: [...new Set(s.expected.map((e) => e.classIndex))].slice(0, 4) });
    const r = await readShard(chunkedStream(gz, createRng(5), 300), { file: 'imagenet2012-train.tfrecord-00000-of-01024', classes });
    const got = await collect(r);
    const want = s.expected.filter((e) => classes.labelOf[e.classIndex] >= 0);
    expect(got.map((g) => [g.key, g.label])).toEqual(want.map((w) => [w.key, classes.labelOf[w.classIndex]]));
    expect(r.stats).toMatchObject({ format: 'tfrecord', compressed: true, filtered: 30 - want.length });
  });

  it('streams a multi-MB shard holding about one record', async () => {
    const s = shard(createRng(6), 30, 'inception', [100_000, 300_000]);
    expect(s.bytes.length).toBeGreaterThan(5_000_000);
    const { r } = read(s.bytes, 7, 65_536);
    let n = 0;
    for await (const g of r.samples) expect(sameBytes(g.image, s.expected[n++].image)).toBe(true);
    expect(n).toBe(30);
    const largest = Math.max(...s.expected.map((e) => e.image.length)) + 1000;
    expect(r.stats.peakBufferedBytes).toBeLessThanOrEqual(largest + 65_536);
  });
});

describe('readTfRecord on bad input', () => {
  const s = shard(createRng(8), 6, 'inception');

  it('skips a record whose data CRC fails, or reads it with the check off', async () => {
    const bad = s.bytes.slice();
    const at = s.starts[2] + 12 + 40; // inside record 2's data
    bad[at] ^= 0x01;
    const { r, issues } = read(bad);
    expect((await collect(r)).map((g) => g.key)).toEqual(s.expected.filter((_, i) => i !== 2).map((e) => e.key));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'data-crc', offset: s.starts[2] });
    expect(issues[0].reason).toBe(`train-00000-of-01024, byte ${s.starts[2]}: data CRC mismatch in record 2; the record is skipped`);
    const off = read(bad, 1, 500, { verifyDataCrc: false });
    const got = await collect(off.r);
    expect(got).toHaveLength(6); // the flipped byte is in a field the reader does not check
    expect(off.issues).toEqual([]);
  });

  it('gives up on the rest of the shard at a length CRC mismatch', async () => {
    const bad = s.bytes.slice();
    bad[s.starts[3] + 1] ^= 0x10;
    const { r, issues } = read(bad);
    expect((await collect(r)).map((g) => g.key)).toEqual(s.expected.slice(0, 3).map((e) => e.key));
    expect(issues.map((i) => [i.code, i.offset])).toEqual([['length-crc', s.starts[3]]]);
    expect(r.stats.abandoned).toBe(true);
  });

  it('calls a file with a bad first header or random bytes no TFRecord', async () => {
    const bad = s.bytes.slice();
    bad[9] ^= 1;
    const a = read(bad);
    expect(await collect(a.r)).toEqual([]);
    expect(a.issues.map((i) => i.code)).toEqual(['not-tfrecord']);
    const rng = createRng(9);
    const noise = new Uint8Array(3000).map(() => rng.int(256));
    noise[0] = 0;
    const b = read(noise);
    expect(await collect(b.r)).toEqual([]);
    expect(b.issues.map((i) => i.code)).toEqual(['not-tfrecord']);
    expect(b.issues[0].reason).toMatch(/^train-00000-of-01024, byte 0: not a TFRecord file/);
  });

  it('survives truncation at any offset', async () => {
    const cuts = new Set<number>();
    for (const st of s.starts) [st, st + 5, st + 12, st + 100, st + 20].forEach((c) => cuts.add(c));
    cuts.add(s.bytes.length - 2);
    for (const cut of cuts) {
      if (cut <= 0 || cut >= s.bytes.length) continue;
      const { r, issues } = read(s.bytes.subarray(0, cut), cut, 97);
      const got = await collect(r);
      expect(got.map((g) => g.key)).toEqual(s.expected.slice(0, got.length).map((e) => e.key));
      if (s.starts.includes(cut)) expect(issues, `cut at ${cut}`).toEqual([]);
      else {
        expect(issues.map((i) => i.code), `cut at ${cut}`).toEqual([cut < 12 ? 'not-tfrecord' : 'truncated']);
        expect(issues[0].reason).toMatch(/^train-00000-of-01024, byte \d+: (the file ends inside|not a TFRecord)/);
      }
    }
  });

  it('reports labels out of range, unknown synsets, mismatches and missing images per record', async () => {
    const img = fakeImage(createRng(10), 64);
    const bytes = concat([
      tfRecord(inceptionExample({ image: img, label1: 1001, filename: 'a.JPEG' })),
      tfRecord(inceptionExample({ image: img, label1: 0, filename: 'b.JPEG' })),
      tfRecord(tfdsExample({ image: img, label: 1000, fileName: 'c.JPEG' })),
      tfRecord(tfdsExample({ image: img, label: -1, fileName: 'd.JPEG' })),
      tfRecord(inceptionExample({ image: img, label1: 1, synset: 'n99999999', filename: 'e.JPEG' })),
      tfRecord(inceptionExample({ image: img, label1: 2, synset: 'n01440764', filename: 'f.JPEG' })),
      tfRecord(tfdsExample({ image: img, label: 3, fileName: 'n01440764_7.JPEG' })),
      tfRecord(encodeExample({ 'image/class/label': { int64: [1] } })),
      tfRecord(inceptionExample({ image: img, filename: 'h.JPEG' })),
      tfRecord(new Uint8Array([0x0a, 0x50, 0x01])),
      tfRecord(inceptionExample({ image: img, label1: 1, synset: 'n01440764', filename: 'ok.JPEG' })),
    ]);
    const { r, issues } = read(bytes, 2, 33);
    expect((await collect(r)).map((g) => [g.key, g.classIndex])).toEqual([['ok.JPEG', 0]]);
    expect(issues.map((i) => [i.key, i.code])).toEqual([
      ['a.JPEG', 'label-out-of-range'],
      ['b.JPEG', 'label-out-of-range'],
      ['c.JPEG', 'label-out-of-range'],
      ['d.JPEG', 'label-out-of-range'],
      ['e.JPEG', 'unknown-synset'],
      ['f.JPEG', 'label-mismatch'],
      ['n01440764_7.JPEG', 'label-mismatch'],
      ['#7', 'no-image'],
      ['h.JPEG', 'no-label'],
      [undefined, 'example-invalid'],
    ]);
    expect(issues[0].reason).toMatch(/^train-00000-of-01024, sample "a\.JPEG", byte 0: image\/class\/label label 1001 is outside 1\.\.1000$/);
    expect(r.stats.skipped).toBe(10);
  });

  it('skips records over the size limit and reports a failing stream', async () => {
    const { r, issues } = read(s.bytes, 1, 500, { maxRecordBytes: 100 });
    expect(await collect(r)).toEqual([]);
    expect(issues.every((i) => i.code === 'record-too-large')).toBe(true);
    expect(issues).toHaveLength(6);
    const f = readTfRecord(failingStream(s.bytes.subarray(0, s.starts[4] + 30), 'network error'), { file: 'x' });
    expect((await collect(f)).map((g) => g.key)).toEqual(s.expected.slice(0, 4).map((e) => e.key));
    expect(f.stats.issues.map((i) => i.code)).toEqual(['read-error']);
  });
});
