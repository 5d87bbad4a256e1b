import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng';
import { detectFormat } from './detect';
import { readShard } from './readShard';
import { chunkedStream, collect, fakeImage, failingStream, gzip } from '../fixtures/streams';
import { tarArchive, tarEntry } from '../fixtures/tarWriter';
import { inceptionExample, tfRecord } from '../fixtures/tfrecordWriter';

const enc = new TextEncoder();
const tar = tarArchive([tarEntry('a.cls', enc.encode('1')), tarEntry('a.jpg', fakeImage(createRng(1), 100))]);
const rec = tfRecord(inceptionExample({ image: fakeImage(createRng(2), 100), label1: 2, synset: 'n01443537', filename: 'n01443537_1.JPEG' }));

describe('detectFormat', () => {
  it('tells formats apart by content, using the name only for gzip', async () => {
    expect(detectFormat(tar.subarray(0, 512), 'whatever.bin')).toMatchObject({ format: 'tar', gzip: false });
    expect(detectFormat(rec.subarray(0, 512), 'whatever.bin')).toMatchObject({ format: 'tfrecord', gzip: false });
    expect(detectFormat(enc.encode('PAR1xxxx'), 'x')).toMatchObject({ format: 'parquet' });
    const gz = await gzip(tar);
    expect(detectFormat(gz.subarray(0, 512), 'imagenet1k-train-0000.tar.gz')).toMatchObject({ format: 'tar', gzip: true });
    expect(detectFormat(gz.subarray(0, 512), 'train-00000-of-01024.gz')).toMatchObject({ format: 'tfrecord', gzip: true });
    expect(detectFormat(gz.subarray(0, 512), 'blob')).toMatchObject({ format: 'unknown', gzip: true });
    expect(detectFormat(new Uint8Array(0), 'x.tar')).toMatchObject({ format: 'unknown', why: 'the file is empty' });
    const rng = createRng(3);
    const noise = new Uint8Array(512).map(() => rng.int(256));
    noise[0] = 0;
    expect(detectFormat(noise, 'x.tar').format).toBe('unknown');
    const corrupt = tar.slice(0, 512);
    corrupt[0] ^= 1;
    expect(detectFormat(corrupt, 'x').format).toBe('tar'); // ustar magic; the reader then reports the checksum
  });
});

describe('readShard', () => {
  it('dispatches tar and TFRecord by content', async () => {
    const a = await readShard(chunkedStream(tar, createRng(4), 100), { file: 'shard.bin' });
    expect((await collect(a)).map((s) => [s.key, s.label])).toEqual([['a', 1]]);
    expect(a.stats.format).toBe('tar');
    const b = await readShard(chunkedStream(rec, createRng(5), 100), { file: 'shard.bin' });
    expect((await collect(b)).map((s) => [s.key, s.label])).toEqual([['n01443537_1.JPEG', 1]]);
    expect(b.stats.format).toBe('tfrecord');
  });

  it('refuses unknown, empty, parquet and unreadable files with one issue', async () => {
    const rng = createRng(6);
    const noise = new Uint8Array(2000).map(() => rng.int(256));
    noise[0] = 0;
    const cases: [Uint8Array | ReadableStream<Uint8Array>, string, string][] = [
      [noise, 'random.tar', 'unknown-format'],
      [new Uint8Array(0), 'empty.tar', 'empty-file'],
      [enc.encode('PAR1 and more'), 'x.parquet', 'unknown-format'],
      [failingStream(new Uint8Array(10), 'permission denied'), 'gone.tar', 'read-error'],
    ];
    for (const [input, file, code] of cases) {
      const stream = input instanceof Uint8Array ? chunkedStream(input, createRng(7), 50) : input;
      const r = await readShard(stream, { file });
      expect(await collect(r)).toEqual([]);
      expect(r.stats.issues.map((i) => i.code)).toEqual([code]);
      expect(r.stats.issues[0].reason.startsWith(`${file}, byte 0: `)).toBe(true);
      expect(r.stats.abandoned).toBe(true);
    }
  });
});
