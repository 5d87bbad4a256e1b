import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../rng.ts';
import { bytesFile, type FileLike } from '../open/fileLike.ts';
import { writeParquet, type ParquetRow } from '../fixtures/parquetWriter.ts';
import { collect, fakeImage } from '../fixtures/streams.ts';
import { tarArchive, tarEntry } from '../fixtures/tarWriter.ts';
import { selectClasses } from '../labels/labels.ts';
import { readParquet } from './parquet.ts';
import { readFileShard } from '../open/readShard.ts';
import type { DataIssue } from './shard.ts';

const enc = new TextEncoder();

function rows(n: number, seed = 1): ParquetRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({ image: { bytes: fakeImage(rng, 50 + i * 7), path: `n01440764_${i}.JPEG` }, label: 0 }));
}

/** A FileLike that records every slice it serves. */
function spyFile(name: string, bytes: Uint8Array): FileLike & { slices: [number, number][] } {
  const f = bytesFile(name, bytes);
  const slices: [number, number][] = [];
  return { name, size: f.size, slices, slice: (s, e) => (slices.push([s, e]), f.slice(s, e)) };
}

describe('readParquet', () => {
  for (const codec of ['UNCOMPRESSED', 'SNAPPY'] as const) {
    it(`reads the HF layout (${codec}, several row groups) with the same Sample shape`, async () => {
      const rs = rows(7);
      rs[3] = { image: { bytes: rs[3].image!.bytes, path: 'ILSVRC2012_val_00000004.JPEG' }, label: 999 };
      const bytes = writeParquet(rs, { rowGroupSize: 3, codec });
      const read = readParquet(bytesFile('train-00000-of-00294.parquet', bytes), { file: 'train-00000-of-00294.parquet' });
      const got = await collect(read);
      expect(got.map((s) => s.key)).toEqual(rs.map((r) => r.image!.path));
      expect(got[0]).toMatchObject({ file: 'train-00000-of-00294.parquet', classIndex: 0, label: 0, synset: 'n01440764', imageExt: 'jpeg', offset: 0 });
      expect(got[3]).toMatchObject({ classIndex: 999, label: 999, offset: 3 });
      expect(got[3].synset).toBeUndefined();
      for (let i = 0; i < rs.length; i++) {
        expect(got[i].image).toEqual(rs[i].image!.bytes);
        expect(got[i].image.byteOffset).toBe(0);
        expect(got[i].image.buffer.byteLength).toBe(got[i].image.length);
      }
      expect(read.stats).toMatchObject({ format: 'parquet', samples: 7, members: 7, skipped: 0, done: true, abandoned: false });
      expect(read.stats.perClass[0]).toBe(6);
      expect(read.stats.perClass[999]).toBe(1);
    });
  }

  it('reads row group by row group: a group is read only when reached, and only its bytes', async () => {
    const bytes = writeParquet(rows(6), { rowGroupSize: 2 });
    const md = parquetMetadata(bytes.buffer as ArrayBuffer);
    const range = (g: number): [number, number] => {
      const cols = md.row_groups[g].columns.map((c) => c.meta_data!);
      return [Math.min(...cols.map((c) => Number(c.data_page_offset))), Math.max(...cols.map((c) => Number(c.data_page_offset) + Number(c.total_compressed_size)))];
    };
    const f = spyFile('a.parquet', bytes);
    const it1 = readParquet(f, { file: 'a.parquet' }).samples[Symbol.asyncIterator]();
    await it1.next();
    // Besides the magic and footer reads (which end at the file's end), only group 0's bytes.
    const dataSlices = () => f.slices.filter(([s, e]) => e !== bytes.length && !(s === 0 && e === 4));
    const [a0, b0] = range(0);
    expect(dataSlices().length).toBeGreaterThan(0);
    for (const [s, e] of dataSlices()) expect(s >= a0 && e <= b0).toBe(true);
    for (;;) if ((await it1.next()).done) break;
    const [a2, b2] = range(2);
    expect(dataSlices().some(([s, e]) => s >= a2 && e <= b2)).toBe(true);
  });

  it('names the file and row for bad rows and goes on', async () => {
    const rs = rows(6);
    rs[1] = { image: null, label: 0 };
    rs[2] = { image: { bytes: rs[2].image!.bytes, path: 'x_2.JPEG' }, label: -1 };
    rs[3] = { image: { bytes: rs[3].image!.bytes, path: null }, label: 1000 };
    rs[4] = { image: { bytes: rs[4].image!.bytes, path: 'n01443537_4.JPEG' }, label: 0 }; // synset says 1
    const issues: DataIssue[] = [];
    const read = readParquet(bytesFile('p.parquet', writeParquet(rs, { rowGroupSize: 4 })), { file: 'p.parquet', onIssue: (i) => issues.push(i) });
    const got = await collect(read);
    expect(got.map((s) => s.offset)).toEqual([0, 5]);
    expect(issues.map((i) => i.code)).toEqual(['no-image', 'no-label', 'label-out-of-range', 'label-mismatch']);
    expect(issues[0].reason).toBe('p.parquet, sample "#1": row 1: no image bytes');
    expect(issues[1].reason).toContain('row 2: label -1');
    expect(issues[2].reason).toContain('p.parquet, sample "#3"');
    expect(read.stats.skipped).toBe(4);
  });

  it('reports an unsupported codec for its row group and reads the others', async () => {
    const issues: DataIssue[] = [];
    const bytes = writeParquet(rows(6), { rowGroupSize: 2, declareCodec: { 1: 'GZIP' } });
    const read = readParquet(bytesFile('z.parquet', bytes), { file: 'z.parquet', onIssue: (i) => issues.push(i) });
    const got = await collect(read);
    expect(got.map((s) => s.offset)).toEqual([0, 1, 4, 5]);
    expect(issues).toHaveLength(1);
    expect(issues[0].code).toBe('unsupported-codec');
    expect(issues[0].reason).toMatch(/z\.parquet.*row group 1 \(rows 2\.\.3\).*codec GZIP/);
    expect(read.stats.skipped).toBe(2);
  });

  it('a corrupt row group is skipped with row-invalid; the next is read', async () => {
    const rs = rows(4);
    const bytes = writeParquet(rs, { rowGroupSize: 2, codec: 'SNAPPY' });
    // Corrupt the snappy page of the first column chunk of group 0 (just after its page header).
    const bad = bytes.slice();
    bad[4 + 12] ^= 0xff;
    bad[4 + 13] ^= 0xff;
    bad[4 + 14] ^= 0xff;
    const issues: DataIssue[] = [];
    const got = await collect(readParquet(bytesFile('c.parquet', bad), { file: 'c.parquet', onIssue: (i) => issues.push(i) }));
    // Either the group fails to decode (row-invalid) or its damaged rows fail later checks; row group 1 survives.
    expect(got.map((s) => s.offset)).toContain(2);
    expect(got.map((s) => s.offset)).toContain(3);
    expect(issues.length).toBeGreaterThan(0);
  });

  it('not parquet, empty, truncated footer, missing column, failing slices', async () => {
    const read = async (name: string, f: FileLike) => {
      const issues: DataIssue[] = [];
      const r = readParquet(f, { file: name, onIssue: (i) => issues.push(i) });
      const s = await collect(r);
      return { s, issues, stats: r.stats };
    };
    const notPq = await read('x.parquet', bytesFile('x.parquet', enc.encode('hello world, not parquet at all')));
    expect(notPq.issues.map((i) => i.code)).toEqual(['not-parquet']);
    expect(notPq.issues[0].reason).toMatch(/^x\.parquet, byte 0: not a parquet file/);
    expect((await read('e', bytesFile('e', new Uint8Array(0)))).issues.map((i) => i.code)).toEqual(['empty-file']);
    const good = writeParquet(rows(3));
    const cut = good.slice(0, good.length - 30);
    cut.set(enc.encode('PAR1'), cut.length - 4);
    const trunc = await read('t.parquet', bytesFile('t.parquet', cut));
    expect(trunc.issues.map((i) => i.code)).toEqual(['parquet-invalid']);
    expect(trunc.stats.abandoned).toBe(true);
    const noLabel = await read('n.parquet', bytesFile('n.parquet', writeParquet(rows(3), { labelColumnName: 'other' })));
    expect(noLabel.issues.map((i) => i.code)).toEqual(['parquet-invalid']);
    expect(noLabel.issues[0].reason).toContain('no "label" column');
    const failing: FileLike = { name: 'f.parquet', size: good.length, slice: (s, e) => (s === 0 || e === good.length ? bytesFile('', good).slice(s, e) : Promise.reject(new Error('disk gone'))) };
    const f = await read('f.parquet', failing);
    expect(f.s).toHaveLength(0);
    expect(f.issues.length).toBe(1);
    expect(f.issues[0].reason).toContain('disk gone');
  });

  it('class subsets apply as for the other readers', async () => {
    const rs: ParquetRow[] = [0, 1, 2, 1].map((c, i) => ({ image: { bytes: new Uint8Array([0xff, 0xd8, i]), path: null }, label: c }));
    const read = readParquet(bytesFile('s.parquet', writeParquet(rs)), { file: 's.parquet', classes: selectClasses({ kind: 'indices', indices: [1] }) });
    const got = await collect(read);
    expect(got.map((s) => [s.classIndex, s.label])).toEqual([[1, 0], [1, 0]]);
    expect(read.stats.filtered).toBe(2);
  });
});

describe('readFileShard', () => {
  it('sends parquet to the parquet reader and tar to the stream readers', async () => {
    const pq = await collect(await readFileShard(bytesFile('a.bin', writeParquet(rows(2))), { file: 'a.bin' }));
    expect(pq).toHaveLength(2);
    const tar = tarArchive([tarEntry('k1.cls', enc.encode('5')), tarEntry('k1.jpg', new Uint8Array([0xff, 0xd8, 1]))]);
    const t = await readFileShard(bytesFile('b.tar', tar), { file: 'b.tar' });
    const got = await collect(t);
    expect(got.map((s) => [s.key, s.classIndex])).toEqual([['k1', 5]]);
    expect(t.stats.format).toBe('tar');
  });
});
