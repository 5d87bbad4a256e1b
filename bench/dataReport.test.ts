// The data benchmark's figures, tables and plumbing on made-up numbers and tiny shards (no timing
// asserted anywhere).
import { describe, expect, it } from 'vitest';
import { bytesFile } from '../src/core/data/open/fileLike.ts';
import { paramsFromQuery, paramsToQuery, type BenchParams } from './browser/protocol.ts';
import { decodeResolutions, type DataBenchParams } from './dataBench.ts';
import {
  DATA_DECODE_END,
  DATA_DECODE_HEADER,
  DATA_DECODE_START,
  DATA_PARSE_END,
  DATA_PARSE_HEADER,
  DATA_PARSE_START,
  dataDocsRows,
  dataMarkdown,
  rate,
  starveChecks,
  upsertBlockRow,
  upsertDataDocs,
  type DataBenchReport,
  type DecodeAt,
} from './dataReport.ts';
import { DEFAULT_PARSE_SHARD, makePayloads, PARSE_FORMATS, runParseBench, type FileMaker } from './parseBench.ts';
import type { TrainRate } from './trainRate.ts';

const train: TrainRate = {
  source: 'measured',
  backend: 'fake',
  batchSize: 16,
  pathsPerFairStep: 7,
  uniformStepMs: [1000, 3000],
  fairStepMs: [8000, 8000],
  uniformMedianMs: 2000,
  fairMedianMs: 8000,
  uniformImagesPerSecond: 8,
  fairImagesPerSecond: 2,
};
const dec = (resolution: number, imagesPerSecond: number): DecodeAt => ({ resolution, decoder: 'jpeg-js/fast-png (500x375 JPEG -> x px, train augmentation)', images: 32, ms: 1, imagesPerSecond });

function fakeReport(): DataBenchReport {
  const decode = [dec(32, 12), dec(64, 10), dec(128, 6), dec(224, 3)];
  return {
    kind: 'data',
    backend: 'node',
    date: '2026-11-28T12:00:00.000Z',
    machine: { cpu: 'AMD EPYC 7B13 64-Core Processor', cores: 2, runtime: 'node v20.20.2', platform: 'linux x64' },
    loadAverage: [1.5, 1.2, 1.1],
    defaultConfig: { preset: 'tiny', resolution: 32, batchSize: 16, mode: 'bn', sampler: 'fair' },
    shard: { payloadMB: 32, meanPayloadKB: 110, passes: 3, parquetRowGroup: 100, files: 'files' },
    parse: [{ format: 'tar', fileBytes: 64e6, samples: 580, payloadBytes: 63e6, passesMs: [300, 200, 250], medianMs: 250, mbPerSecond: 256, samplesPerSecond: 2320, bestMbPerSecond: 320 }],
    decode,
    training: train,
    starve: starveChecks(decode[0], train),
  };
}

describe('rate', () => {
  it('count per second from milliseconds; NaN for no time', () => {
    expect(rate(32, 250)).toBe(128);
    expect(rate(64, 1000)).toBe(64);
    expect(rate(1, 0)).toBeNaN();
  });
});

describe('starveChecks', () => {
  it('decode / train against the fair and the uniform step, target 3x', () => {
    const c = starveChecks(dec(32, 12), train);
    expect(c.map((x) => x.against)).toEqual(['fair', 'uniform']);
    expect(c[0].ratio).toBe(6);
    expect(c[0].met).toBe(true);
    expect(c[1].ratio).toBe(1.5);
    expect(c[1].met).toBe(false);
    expect(c.every((x) => x.target === 3 && x.resolution === 32)).toBe(true);
  });
  it('a given figure, exactly at the target; nothing without a training figure or a decode at the default resolution', () => {
    const c = starveChecks(dec(32, 30), { source: 'given', imagesPerSecond: 10 });
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ against: 'given', ratio: 3, met: true });
    expect(starveChecks(dec(32, 30), null)).toEqual([]);
    expect(starveChecks(undefined, train)).toEqual([]);
  });
});

describe('decodeResolutions', () => {
  it('the default config first, then 64, 128, 224 without repeats', () => {
    expect(decodeResolutions(32)).toEqual([32, 64, 128, 224]);
    expect(decodeResolutions(64)).toEqual([64, 128, 224]);
  });
});

describe('markdown and docs rows', () => {
  it('the run markdown has the parse, decode and starve tables', () => {
    const md = dataMarkdown(fakeReport());
    expect(md).toContain('| tar | 64.0 | 580 | 256 | 2320 | 320 | 300, 200, 250 |');
    expect(md).toContain('| 32 px (default config) | 12.0 | 32 |');
    expect(md).toContain('| fair step (7 paths, the default sampler) | 2.00 | 12.0 | 6.00x | 3x | yes |');
    expect(md).toContain('| uniform step (one path) | 8.00 | 12.0 | 1.50x | 3x | NO |');
    expect(md).toContain('load average 1.50, 1.20, 1.10');
  });
  it('docs rows: MB/s (samples/s) per format, n/a for formats not run, img/s per resolution, the ratios', () => {
    const { parse, decode } = dataDocsRows(fakeReport(), 'a note');
    const cells = parse.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells.slice(0, 4)).toEqual(['2026-11-28', 'AMD EPYC 7B13, 2 cores, node v20.20.2', 'node', '1.5']);
    expect(cells[4]).toBe('256 / 320 (2320/s)');
    expect(cells[5]).toBe('n/a');
    expect(cells[cells.length - 1]).toBe('a note');
    expect(cells).toHaveLength(DATA_PARSE_HEADER[0].split('|').length - 2);
    const d = decode.split('|').slice(1, -1).map((c) => c.trim());
    expect(d).toHaveLength(DATA_DECODE_HEADER[0].split('|').length - 2);
    expect(d.slice(4)).toEqual(['jpeg-js/fast-png', '12.0', '10.0', '6.00', '3.00', '2.00 / 8.00', '6.00x / 1.50x (NO)', 'a note']);
  });
  it('upsert appends a new row and replaces the row of the same date, machine and backend', () => {
    const doc = `# x\n\n${DATA_PARSE_START}\n${DATA_PARSE_END}\n\ntext\n\n${DATA_DECODE_START}\n${DATA_DECODE_END}\n`;
    const r = fakeReport();
    const once = upsertDataDocs(doc, r, 'first');
    const twice = upsertDataDocs(once, r, 'second');
    expect(twice.match(/\| first \|/g)).toBeNull();
    expect(twice.match(/\| second \|/g)).toHaveLength(2);
    expect(twice).toContain(DATA_PARSE_HEADER.join('\n'));
    const other = upsertDataDocs(twice, { ...r, backend: 'webgl' }, 'third');
    expect(other.match(/\| (second|third) \|/g)).toHaveLength(4);
    expect(() => upsertBlockRow('# no markers', DATA_PARSE_START, DATA_PARSE_END, DATA_PARSE_HEADER, '| a |')).toThrow(/no "<!-- bench:data-parse:start -->"/);
  });
});

describe('browser params', () => {
  it('the data bench parameters survive the query string; absent when not given', () => {
    const base: BenchParams = { config: 'tiny', backend: 'webgl', steps: 1, warmupRounds: 1, memorySteps: 0, skipFair: true, extras: false, maxStepMs: null, convGrad: 'forward', warmUp: false, ab: false, fusedBn: 'on', census: false };
    const dataBench: DataBenchParams = { shard: { ...DEFAULT_PARSE_SHARD, totalBytes: 5e6 }, decodeImages: 16, decodeMs: 500, trainSteps: 2, trainImagesPerSecond: null, skipParse: false };
    expect(paramsFromQuery(`?${paramsToQuery({ ...base, dataBench })}`)).toEqual({ ...base, dataBench });
    expect(paramsFromQuery(`?${paramsToQuery(base)}`)).toEqual(base);
  });
});

describe('parse bench on tiny shards (correctness only)', () => {
  it('payloads reach the target size within +-50 % of the mean, labels in 0..999', () => {
    const p = makePayloads({ ...DEFAULT_PARSE_SHARD, totalBytes: 50_000, payloadBytes: 2000 });
    const total = p.reduce((n, s) => n + s.bytes.length, 0);
    expect(total).toBeGreaterThanOrEqual(50_000);
    expect(total - p[p.length - 1].bytes.length).toBeLessThan(50_000);
    expect(p.every((s) => s.bytes.length >= 1000 && s.bytes.length <= 3000 && s.label >= 0 && s.label < 1000)).toBe(true);
  });
  it('every format yields every sample through the real readers; files are dropped afterwards', async () => {
    const live = new Set<string>();
    const maker: FileMaker = {
      make: async (name, bytes) => {
        live.add(name);
        return bytesFile(name, bytes);
      },
      drop: async (files) => files.forEach((f) => live.delete(f.name)),
    };
    const spec = { ...DEFAULT_PARSE_SHARD, totalBytes: 20_000, payloadBytes: 2000, passes: 2, parquetRowGroup: 4 };
    const n = makePayloads(spec).length;
    const t = await runParseBench(spec, maker);
    expect(t.map((x) => x.format)).toEqual(PARSE_FORMATS);
    for (const x of t) {
      expect(x.samples).toBe(n);
      expect(x.passesMs).toHaveLength(2);
      expect(x.fileBytes).toBeGreaterThanOrEqual(x.payloadBytes);
      expect(x.mbPerSecond).toBeCloseTo(rate(x.fileBytes / 1e6, x.medianMs), 9);
      expect(x.bestMbPerSecond).toBeCloseTo(rate(x.fileBytes / 1e6, Math.min(...x.passesMs)), 9);
    }
    expect(live.size).toBe(0);
  });
  it('a reader that drops samples fails the benchmark with the reason', async () => {
    const maker: FileMaker = { make: async (name, bytes) => bytesFile(name, bytes.subarray(0, bytes.length - 700)) };
    const spec = { ...DEFAULT_PARSE_SHARD, totalBytes: 10_000, payloadBytes: 2000, passes: 1 };
    await expect(runParseBench(spec, maker, ['tfrecord'])).rejects.toThrow(/parse bench: tfrecord yielded \d+ of \d+ samples/);
  });
});
