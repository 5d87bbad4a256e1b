// Parse throughput of the shard readers (benchmark, not a test): generated shards of a realistic
// size in every container format the lab reads, each read through the real reader over a FileLike
// (a file on disk in Node, a Blob in the browser worker), timed pass by pass. The payloads are
// random bytes with a JPEG start marker: parsing never decodes them, so their content does not
// matter, and random bytes do not gzip (like real JPEGs). No Node APIs: the browser worker runs it.
import type { FileLike } from '../src/core/data/open/fileLike.ts';
import { concat, fakeImage, gzip } from '../src/core/data/fixtures/streams.ts';
import { writeParquet } from '../src/core/data/fixtures/parquetWriter.ts';
import { tarArchive, tarEntry } from '../src/core/data/fixtures/tarWriter.ts';
import { inceptionExample, tfRecord } from '../src/core/data/fixtures/tfrecordWriter.ts';
import { readImageFolder, type FolderEntry } from '../src/core/data/formats/imageFolder.ts';
import { indexToSynset } from '../src/core/data/labels/labels.ts';
import { readFileShard } from '../src/core/data/open/readShard.ts';
import type { ShardRead } from '../src/core/data/formats/shard.ts';
import { createRng } from '../src/core/rng.ts';
import { median } from './stepBench.ts';
import { rate } from './dataReport.ts';

export type ParseFormat = 'tar' | 'tar.gz' | 'tfrecord' | 'tfrecord (no data CRC)' | 'tfrecord.gz' | 'parquet' | 'parquet (snappy)' | 'imagefolder';
export const PARSE_FORMATS: readonly ParseFormat[] = ['tar', 'tar.gz', 'tfrecord', 'tfrecord (no data CRC)', 'tfrecord.gz', 'parquet', 'parquet (snappy)', 'imagefolder'];

export interface ParseShardSpec {
  /** Payload bytes per shard (the shard is a little larger: headers, labels). */
  totalBytes: number;
  /** Mean payload size (ImageNet's mean JPEG is about 110 KB); sizes spread +-50 % around it. */
  payloadBytes: number;
  /** Timed reads of each shard (the median counts). */
  passes: number;
  /** Rows per parquet row group. */
  parquetRowGroup: number;
  seed: number;
}

export const DEFAULT_PARSE_SHARD: ParseShardSpec = { totalBytes: 32e6, payloadBytes: 110_000, passes: 5, parquetRowGroup: 100, seed: 0 };

export interface ParseTiming {
  format: ParseFormat;
  /** Bytes of the shard file(s) as stored (gzip: compressed). */
  fileBytes: number;
  samples: number;
  /** Image payload bytes yielded per pass. */
  payloadBytes: number;
  passesMs: number[];
  medianMs: number;
  /** fileBytes / median pass, decimal MB (1e6 bytes) per second. */
  mbPerSecond: number;
  samplesPerSecond: number;
  /** fileBytes / fastest pass (the least disturbed one on a shared machine). */
  bestMbPerSecond: number;
}

/** Where the shards live while they are read: files on disk (Node), Blobs (browser). */
export interface FileMaker {
  make(name: string, bytes: Uint8Array): Promise<FileLike>;
  /** Free what `make` made (delete the file); optional. */
  drop?(files: readonly FileLike[]): Promise<void>;
}

interface Payload {
  key: string;
  label: number;
  bytes: Uint8Array;
}

/** The shard's samples: random payloads of payloadBytes +-50 %, labels cycling over the 1000 classes. */
export function makePayloads(spec: ParseShardSpec): Payload[] {
  const rng = createRng(spec.seed);
  const out: Payload[] = [];
  let total = 0;
  for (let i = 0; total < spec.totalBytes; i++) {
    const n = Math.max(64, Math.round(spec.payloadBytes * (0.5 + rng.uniform())));
    const label = (i * 37) % 1000;
    out.push({ key: `${indexToSynset(label)}_${String(i).padStart(6, '0')}`, label, bytes: fakeImage(rng, n) });
    total += n;
  }
  return out;
}

const enc = new TextEncoder();

async function shardBytes(format: ParseFormat, p: readonly Payload[], spec: ParseShardSpec): Promise<Uint8Array> {
  switch (format) {
    case 'tar':
    case 'tar.gz': {
      const tar = tarArchive(p.flatMap((s) => [tarEntry(`${s.key}.jpg`, s.bytes), tarEntry(`${s.key}.cls`, enc.encode(String(s.label)))]));
      return format === 'tar' ? tar : gzip(tar);
    }
    case 'tfrecord':
    case 'tfrecord (no data CRC)':
    case 'tfrecord.gz': {
      const rec = concat(p.map((s) => tfRecord(inceptionExample({ image: s.bytes, label1: s.label + 1, filename: `${s.key}.JPEG` }))));
      return format === 'tfrecord.gz' ? gzip(rec) : rec;
    }
    case 'parquet':
    case 'parquet (snappy)':
      return writeParquet(
        p.map((s) => ({ image: { bytes: s.bytes, path: `${s.key}.JPEG` }, label: s.label })),
        { rowGroupSize: spec.parquetRowGroup, codec: format === 'parquet' ? 'UNCOMPRESSED' : 'SNAPPY' },
      );
    case 'imagefolder':
      throw new Error('imagefolder has no single shard');
  }
}

const FILE_NAMES: Record<ParseFormat, string> = {
  tar: 'bench-000000.tar',
  'tar.gz': 'bench-000000.tar.gz',
  tfrecord: 'train-00000-of-01024',
  'tfrecord (no data CRC)': 'train-00000-of-01024',
  'tfrecord.gz': 'train-00000-of-01024.gz',
  parquet: 'train-00000-of-00294.parquet',
  'parquet (snappy)': 'train-00000-of-00294.parquet',
  imagefolder: 'train',
};

/** Read everything once; throws when the reader did not yield every sample cleanly (a broken read is no benchmark). */
async function drainTimed(open: () => Promise<ShardRead>, expected: number, what: string): Promise<{ ms: number; samples: number; payloadBytes: number }> {
  const t0 = performance.now();
  const read = await open();
  let samples = 0;
  let payloadBytes = 0;
  for await (const s of read.samples) {
    samples++;
    payloadBytes += s.image.length;
  }
  const ms = performance.now() - t0;
  const issues = Object.values(read.stats.issueCounts).reduce((a, b) => a + (b ?? 0), 0);
  if (samples !== expected || issues > 0) {
    throw new Error(`parse bench: ${what} yielded ${samples} of ${expected} samples with ${issues} issue(s)${read.stats.issues[0] ? `: ${read.stats.issues[0].reason}` : ''}`);
  }
  return { ms, samples, payloadBytes };
}

/** Time one format: build its shard(s), read them `spec.passes` times, free them. */
export async function timeParse(format: ParseFormat, payloads: readonly Payload[], spec: ParseShardSpec, maker: FileMaker): Promise<ParseTiming> {
  let files: FileLike[];
  let open: () => Promise<ShardRead>;
  if (format === 'imagefolder') {
    const entries: FolderEntry[] = [];
    for (const s of payloads) {
      const relativePath = `${indexToSynset(s.label)}/${s.key}.JPEG`;
      entries.push({ relativePath, file: await maker.make(relativePath, s.bytes) });
    }
    files = entries.map((e) => e.file);
    open = async () => readImageFolder(entries, { file: FILE_NAMES.imagefolder });
  } else {
    const file = await maker.make(FILE_NAMES[format], await shardBytes(format, payloads, spec));
    files = [file];
    const verifyDataCrc = format !== 'tfrecord (no data CRC)';
    open = () => readFileShard(file, { file: file.name, verifyDataCrc });
  }
  try {
    const fileBytes = files.reduce((n, f) => n + f.size, 0);
    const passes: number[] = [];
    let last = { samples: 0, payloadBytes: 0 };
    for (let i = 0; i < spec.passes; i++) {
      const r = await drainTimed(open, payloads.length, format);
      passes.push(r.ms);
      last = r;
    }
    const medianMs = median(passes);
    return { format, fileBytes, samples: last.samples, payloadBytes: last.payloadBytes, passesMs: passes, medianMs, mbPerSecond: rate(fileBytes / 1e6, medianMs), samplesPerSecond: rate(last.samples, medianMs), bestMbPerSecond: rate(fileBytes / 1e6, Math.min(...passes)) };
  } finally {
    await maker.drop?.(files);
  }
}

/** Every format in turn (one shard in memory at a time besides the payloads). */
export async function runParseBench(spec: ParseShardSpec, maker: FileMaker, formats: readonly ParseFormat[] = PARSE_FORMATS, onProgress?: (line: string) => void): Promise<ParseTiming[]> {
  if (!Number.isInteger(spec.passes) || spec.passes < 1) throw new Error(`passes must be an integer >= 1, got ${spec.passes}`);
  const payloads = makePayloads(spec);
  const out: ParseTiming[] = [];
  for (const f of formats) {
    onProgress?.(`parse ${f}`);
    const t = await timeParse(f, payloads, spec, maker);
    onProgress?.(`parse ${f}: ${t.mbPerSecond.toFixed(0)} MB/s, ${t.samplesPerSecond.toFixed(0)} samples/s`);
    out.push(t);
  }
  return out;
}
