// A seeded fuzzer over the tar (plain and gzip), TFRecord, parquet and checkpoint readers: real
// files written by the fixtures, mutated (bit flips, hostile u32 / u64 values such as 0xA0000000,
// truncation, inserted and repeated runs of bytes; checkpoints with their CRC fixed afterwards so
// the mutation reaches the header parse). Each case must end in the reader's own outcome (samples
// and DataIssues; a CheckpointError) and never another exception, and the memory a reader holds
// must stay bounded. FUZZ_CASES=N runs N cases per reader (default 600: a few thousand in all).
import { describe, expect, it } from 'vitest';
import { resolveRecipe } from '../core/train/recipe.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { readCheckpointMeta } from '../core/train/checkpoint.ts';
import { CheckpointError, crc32, encodeCheckpoint } from '../core/train/checkpointCodec.ts';
import { readShard } from '../core/data/open/readShard.ts';
import { bytesFile } from '../core/data/open/fileLike.ts';
import { jpegBytes } from '../core/data/fixtures/images.ts';
import { writeParquet } from '../core/data/fixtures/parquetWriter.ts';
import { concat, gzip } from '../core/data/fixtures/streams.ts';
import { tarArchive, tarEntry } from '../core/data/fixtures/tarWriter.ts';
import { inceptionExample, tfRecord } from '../core/data/fixtures/tfrecordWriter.ts';
import { readParquet } from '../core/data/formats/parquet.ts';
import type { ShardRead } from '../core/data/formats/shard.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 600);
const MAX_RECORD = 1 << 20; // the readers' limit in this test (the default is LIMITS.maxRecordBytes)
const MAX_HEAP_GROWTH = 256 * 1024 * 1024;
const enc = new TextEncoder();
const img = (k: number) => jpegBytes(6, 5, (x, y) => [k * 40, x * 30, y * 40], 80);

const HOSTILE_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xa0000000, 0xffffffff, 512, 511];

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  let b: Uint8Array = src.slice();
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(Math.max(1, b.length));
    switch (rng.int(6)) {
      case 0: // bit flip
        b[at] ^= 1 << rng.int(8);
        break;
      case 1: // random byte run
        for (let i = at; i < Math.min(b.length, at + 1 + rng.int(16)); i++) b[i] = rng.int(256);
        break;
      case 2: // a hostile 32-bit value, either byte order
        if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, HOSTILE_U32[rng.int(HOSTILE_U32.length)], rng.int(2) === 0);
        break;
      case 3: // truncate
        b = b.slice(0, at);
        break;
      case 4: // insert bytes
        b = concat([b.subarray(0, at), Uint8Array.from({ length: 1 + rng.int(64) }, () => rng.int(256)), b.subarray(at)]);
        break;
      default: // repeat a region (duplicated headers, records)
        b = concat([b.subarray(0, at), b.subarray(rng.int(Math.max(1, b.length)), b.length), b.subarray(at)]);
    }
  }
  return b;
}

/** Drain a read; a throw out of the reader fails the case. Returns the samples and peak buffer. */
async function drain(read: ShardRead): Promise<{ samples: number; issues: number; peak: number }> {
  let samples = 0;
  for await (const s of read.samples) {
    expect(s.image).toBeInstanceOf(Uint8Array);
    expect(s.label).toBeGreaterThanOrEqual(0);
    samples++;
  }
  let issues = 0;
  for (const n of Object.values(read.stats.issueCounts)) issues += n ?? 0;
  return { samples, issues, peak: read.stats.peakBufferedBytes };
}

const streamOf = (b: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      if (b.length) c.enqueue(b);
      c.close();
    },
  });

async function fuzz(name: string, seed: number, base: Uint8Array, run: (b: Uint8Array) => Promise<void>): Promise<void> {
  const rng = createRng(seed);
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < CASES; i++) {
    const b = mutate(base, rng);
    try {
      await run(b);
    } catch (e) {
      throw new Error(`${name} case ${i} (seed ${seed}, ${b.length} bytes): ${(e as Error).stack ?? e}`);
    }
    if (i % 100 === 99) expect(process.memoryUsage().heapUsed - heap0, `${name} heap growth at case ${i}`).toBeLessThan(MAX_HEAP_GROWTH);
  }
}

const opts = (file: string) => ({ file, maxRecordBytes: MAX_RECORD, maxIssues: 5 });

describe('fuzzed readers: their own issues or samples, never another exception, bounded memory', () => {
  it('tar (plain and PAX) and tar.gz', async () => {
    const members: Uint8Array[] = [];
    for (let k = 0; k < 4; k++) {
      members.push(tarEntry(`n0144076${k}_${k}.cls`, enc.encode(String(k)), { pax: k === 1 ? 'python' : undefined }));
      members.push(tarEntry(`n0144076${k}_${k}.jpg`, img(k), { gnuLongName: k === 2 }));
    }
    const tar = tarArchive(members);
    const clean = await drain(await readShard(streamOf(tar), opts('t.tar')));
    expect(clean).toMatchObject({ samples: 4, issues: 0 });
    await fuzz('tar', 1, tar, async (b) => {
      const r = await drain(await readShard(streamOf(b), opts('t.tar')));
      expect(r.peak).toBeLessThanOrEqual(MAX_RECORD + 1024 * 1024);
    });
    const gz = await gzip(tar);
    await fuzz('tar.gz', 2, gz, async (b) => {
      await drain(await readShard(streamOf(b), opts('t.tar.gz')));
    });
  });

  it('TFRecord', async () => {
    const rec = concat([0, 1, 2, 3].map((k) => tfRecord(inceptionExample({ image: img(k), label1: 1, synset: 'n01440764', filename: `n01440764_${k}.JPEG` }))));
    expect((await drain(await readShard(streamOf(rec), opts('r.tfrecord')))).samples).toBe(4);
    await fuzz('tfrecord', 3, rec, async (b) => {
      const r = await drain(await readShard(streamOf(b), { ...opts('r.tfrecord'), verifyDataCrc: false }));
      expect(r.peak).toBeLessThanOrEqual(MAX_RECORD + 1024 * 1024);
    });
  });

  it('parquet', async () => {
    const pq = writeParquet([0, 1, 2, 3].map((k) => ({ image: { bytes: img(k), path: `n01440764_${k}.JPEG` }, label: 0 })), { codec: 'SNAPPY', rowGroupSize: 2 });
    expect((await drain(readParquet(bytesFile('p.parquet', pq), opts('p.parquet')))).samples).toBe(4);
    await fuzz('parquet', 4, pq, async (b) => {
      await drain(readParquet(bytesFile('p.parquet', b), opts('p.parquet')));
    });
  });

  it('checkpoint (CRC fixed after the mutation, so the header and metadata checks are reached)', async () => {
    const meta = { kind: 'isonas-supernet', recipe: resolveRecipe('tiny'), step: 3, samplerRng: [1, 2, 3, 4, 0, 0] };
    const ck = encodeCheckpoint({ meta, tensors: [{ name: 'bn/a.gamma', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }] });
    expect(readCheckpointMeta(ck).step).toBe(3);
    let accepted = 0;
    await fuzz('checkpoint', 5, ck, async (b) => {
      if (b.length >= 24) {
        const total = new DataView(b.buffer).getUint32(16, true);
        if (total === b.length) new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
      }
      try {
        const m = readCheckpointMeta(b, 'fuzzed.ckpt');
        accepted++;
        expect(Number.isSafeInteger(m.step) && m.step >= 0 && m.step <= m.recipe.totalSteps).toBe(true);
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        expect(e.message).toMatch(/^fuzzed\.ckpt/);
      }
    });
    expect(accepted).toBeLessThan(CASES);
  });
});
