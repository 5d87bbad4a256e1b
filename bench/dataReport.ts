// Figures and text of the data benchmark (`npm run -s bench -- --data-bench`): rates, the "never
// starves training" check, the run's markdown and the two results tables of docs/benchmarks.md
// ("Data: parse and decode"). Pure (no Node APIs, no timing), unit-tested in dataReport.test.ts.
import type { ParseTiming } from './parseBench.ts';
import type { MachineInfo } from './report.ts';
import type { TrainRate } from './trainRate.ts';

/** count per second over `ms` milliseconds (NaN for a non-positive time). */
export function rate(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : NaN;
}

/** Decoded images per second at one output resolution (decode + RandomResizedCrop + train augmentation). */
export interface DecodeAt {
  resolution: number;
  decoder: string;
  images: number;
  ms: number;
  imagesPerSecond: number;
}

/** The training rate the decode rate is held against: measured in the same run, given, or none. */
export type TrainFigure = TrainRate | { source: 'given'; imagesPerSecond: number } | null;

/** The issue's target: decode at least 3x the training rate of the default config, same machine. */
export const STARVE_TARGET = 3;

export interface StarveCheck {
  /** Which training rate: the default sampler's fair step, the one-path uniform step, or a given figure. */
  against: 'fair' | 'uniform' | 'given';
  resolution: number;
  decodeImagesPerSecond: number;
  trainImagesPerSecond: number;
  /** decode / train. */
  ratio: number;
  target: number;
  met: boolean;
}

export function starveChecks(decode: DecodeAt | undefined, training: TrainFigure, target = STARVE_TARGET): StarveCheck[] {
  if (!decode || !training) return [];
  const trains: Array<[StarveCheck['against'], number]> =
    training.source === 'given'
      ? [['given', training.imagesPerSecond]]
      : [
          ['fair', training.fairImagesPerSecond],
          ['uniform', training.uniformImagesPerSecond],
        ];
  return trains.map(([against, train]) => {
    const ratio = decode.imagesPerSecond / train;
    return { against, resolution: decode.resolution, decodeImagesPerSecond: decode.imagesPerSecond, trainImagesPerSecond: train, ratio, target, met: ratio >= target };
  });
}

/** The app's default setup (what the README's `npm start` opens: preset tiny, the worker's PRESET_SETTINGS). */
export interface DefaultConfigInfo {
  preset: string;
  resolution: number;
  batchSize: number;
  mode: string;
  sampler: string;
}

export interface DataBenchCore {
  parse: ParseTiming[];
  decode: DecodeAt[];
  training: TrainFigure;
  starve: StarveCheck[];
}

export interface DataBenchReport extends DataBenchCore {
  kind: 'data';
  /** node (Node: files on disk, jpeg-js, tfjs cpu) or the browser backend of the training figure. */
  backend: string;
  date: string;
  machine: MachineInfo;
  /** os.loadavg() at the end of the run (1, 5, 15 min), null where unknown. */
  loadAverage: number[] | null;
  defaultConfig: DefaultConfigInfo;
  shard: { payloadMB: number; meanPayloadKB: number; passes: number; parquetRowGroup: number; files: string };
}

const f0 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(head: string[], rows: string[][], right: boolean[] = []): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (right[i] ? '--:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function starveLabel(c: StarveCheck, t: TrainFigure): string {
  if (c.against === 'given') return 'given figure';
  const m = t && t.source === 'measured' ? t.pathsPerFairStep : '?';
  return c.against === 'fair' ? `fair step (${m} paths, the default sampler)` : 'uniform step (one path)';
}

/** The run as markdown: parse, decode and the starve check. */
export function dataMarkdown(r: DataBenchReport): string {
  const load = r.loadAverage ? r.loadAverage.map((x) => x.toFixed(2)).join(', ') : 'n/a';
  const head = [
    `Data benchmark, ${r.date}, backend ${r.backend}: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.platform}, ${r.machine.runtime}; load average ${load}.`,
    `Shards: ${r.shard.payloadMB} MB of payloads (mean ${r.shard.meanPayloadKB} KB), ${r.shard.files}; median of ${r.shard.passes} passes.`,
  ].join('\n');
  const parse = table(
    ['format', 'file MB', 'samples', 'MB/s (median pass)', 'samples/s (median pass)', 'MB/s (best pass)', 'passes (ms)'],
    r.parse.map((p) => [p.format, (p.fileBytes / 1e6).toFixed(1), String(p.samples), f0(p.mbPerSecond), f0(p.samplesPerSecond), f0(p.bestMbPerSecond), p.passesMs.map((m) => m.toFixed(0)).join(', ')]),
    [false, true, true, true, true, true, false],
  );
  const dc = r.defaultConfig;
  const decode = table(
    ['resolution', 'img/s', 'images', 'decoder'],
    r.decode.map((d) => [`${d.resolution} px${d.resolution === dc.resolution ? ' (default config)' : ''}`, f0(d.imagesPerSecond), String(d.images), d.decoder]),
    [false, true, true, false],
  );
  const starve =
    r.starve.length === 0
      ? 'Starve check: no training figure (--train-steps 0).'
      : table(
          ['training (default config)', 'train img/s', `decode img/s @${dc.resolution} px`, 'decode / train', 'target', 'met'],
          r.starve.map((c) => [starveLabel(c, r.training), f0(c.trainImagesPerSecond), f0(c.decodeImagesPerSecond), `${f0(c.ratio)}x`, `${c.target}x`, c.met ? 'yes' : 'NO']),
          [false, true, true, true, true, false],
        );
  const cfg = `Default config: preset ${dc.preset} (${dc.resolution} px, batch ${dc.batchSize}, mode ${dc.mode}, sampler ${dc.sampler}).`;
  return [head, parse, decode, cfg, starve].join('\n\n');
}

// ---- docs/benchmarks.md ------------------------------------------------------------------------
export const DATA_PARSE_START = '<!-- bench:data-parse:start -->';
export const DATA_PARSE_END = '<!-- bench:data-parse:end -->';
export const DATA_DECODE_START = '<!-- bench:data-decode:start -->';
export const DATA_DECODE_END = '<!-- bench:data-decode:end -->';
/** Columns of the decode table (the default config's 32 px, then the issue's three). */
export const DOC_DECODE_RESOLUTIONS = [32, 64, 128, 224];
const DOC_PARSE_FORMATS = ['tar', 'tar.gz', 'tfrecord', 'tfrecord (no data CRC)', 'tfrecord.gz', 'parquet', 'parquet (snappy)', 'imagefolder'];

export const DATA_PARSE_HEADER = table(['date', 'machine', 'backend', 'load avg', ...DOC_PARSE_FORMATS, 'note'], [], [false, false, false, false, ...DOC_PARSE_FORMATS.map(() => true), false]).split('\n');
export const DATA_DECODE_HEADER = table(
  ['date', 'machine', 'backend', 'load avg', 'decoder', ...DOC_DECODE_RESOLUTIONS.map((p) => `img/s ${p} px`), 'train img/s fair / uniform', 'decode / train fair / uniform (target 3x)', 'note'],
  [],
  [false, false, false, false, false, ...DOC_DECODE_RESOLUTIONS.map(() => true), true, true, false],
).split('\n');

function machineCell(r: DataBenchReport): string {
  return `${r.machine.cpu.replace(/\s+\d+-Core Processor$/, '')}, ${r.machine.cores} cores, ${r.machine.runtime}`;
}

/** One row of each docs table: parse cells "median MB/s / best MB/s (median samples/s)", decode img/s per resolution and the ratios. */
export function dataDocsRows(r: DataBenchReport, note = ''): { parse: string; decode: string } {
  const day = r.date.slice(0, 10);
  const load = r.loadAverage ? r.loadAverage[0].toFixed(1) : 'n/a';
  const cell = (name: string): string => {
    const p = r.parse.find((x) => x.format === name);
    return p ? `${f0(p.mbPerSecond)} / ${f0(p.bestMbPerSecond)} (${f0(p.samplesPerSecond)}/s)` : 'n/a';
  };
  const parse = `| ${[day, machineCell(r), r.backend, load, ...DOC_PARSE_FORMATS.map(cell), note].join(' | ')} |`;
  const at = (px: number): string => f0(r.decode.find((d) => d.resolution === px)?.imagesPerSecond);
  const by = (a: StarveCheck['against']) => r.starve.find((c) => c.against === a);
  const pair = (g: (c: StarveCheck) => string): string => {
    const given = by('given');
    if (given) return `${g(given)} (given)`;
    const fair = by('fair');
    const uni = by('uniform');
    return fair && uni ? `${g(fair)} / ${g(uni)}` : 'n/a';
  };
  const decoder = r.decode[0]?.decoder.replace(/ \(.*$/, '') ?? 'n/a';
  const decode = `| ${[
    day,
    machineCell(r),
    r.backend,
    load,
    decoder,
    ...DOC_DECODE_RESOLUTIONS.map(at),
    pair((c) => f0(c.trainImagesPerSecond)),
    pair((c) => `${f0(c.ratio)}x${c.met ? '' : ' (NO)'}`),
    note,
  ].join(' | ')} |`;
  return { parse, decode };
}

/** The first three cells (date, machine, backend) identify a row: a rerun replaces it. */
function rowKey(row: string): string {
  return row.split('|').slice(1, 4).map((c) => c.trim()).join('|');
}

/** Put `row` into the table between `start` and `end` (replacing the row of the same date, machine and backend). */
export function upsertBlockRow(doc: string, start: string, end: string, header: readonly string[], row: string): string {
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/benchmarks.md has no "${start}" ... "${end}" block`);
  const rows = doc
    .slice(a + start.length, b)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|') && !header.includes(l));
  const i = rows.findIndex((l) => rowKey(l) === rowKey(row));
  if (i >= 0) rows[i] = row;
  else rows.push(row);
  return doc.slice(0, a) + [start, ...header, ...rows, end].join('\n') + doc.slice(b + end.length);
}

export function upsertDataDocs(doc: string, r: DataBenchReport, note = ''): string {
  const rows = dataDocsRows(r, note);
  const withParse = upsertBlockRow(doc, DATA_PARSE_START, DATA_PARSE_END, DATA_PARSE_HEADER, rows.parse);
  return upsertBlockRow(withParse, DATA_DECODE_START, DATA_DECODE_END, DATA_DECODE_HEADER, rows.decode);
}
