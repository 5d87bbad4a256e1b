// Shapes and text of a benchmark report: the one JSON object of `--json`, the markdown table of
// a run, and the results table of docs/benchmarks.md. Pure string work (no Node APIs), so the
// browser runner can produce the same report and row from its own machine description.
import type { PresetName, TrainRecipe } from '../src/core/train/recipe.ts';
import type { ExtrasResult } from './extras.ts';
import { headlineFigures, type StepBenchFigures, type StepBenchResult } from './stepBench.ts';

/** Who ran it: CPU model and cores, and the JS runtime (Node version, or a browser's name). */
export interface MachineInfo {
  cpu: string;
  cores: number;
  runtime: string;
  platform: string;
}

/** The extras' headline numbers (null = not measured or failed; `extras` says why). */
export interface ExtrasFigures {
  /** Indicator-table read-back + full evolutionary search (50 x 20), ms. */
  searchMs: number | null;
  /** analyseIsometry over every candidate of one layer at the default tile, ms. */
  isometryLayerMs: number | null;
  decodeImagesPerSecond: number | null;
  /** Measured share of wall time live isometry took while training at the default 10 % cadence. */
  watchShare: number | null;
}

export function extrasFigures(e: ExtrasResult | null): ExtrasFigures {
  const ok = <T extends object>(v: T | { error: string } | null | undefined): T | null => (v && !('error' in v) ? v : null);
  return {
    searchMs: ok(e?.search)?.ms ?? null,
    isometryLayerMs: ok(e?.isometry)?.ms ?? null,
    decodeImagesPerSecond: ok(e?.decode)?.imagesPerSecond ?? null,
    watchShare: ok(e?.watch)?.share ?? null,
  };
}

export interface BenchReport extends StepBenchFigures, ExtrasFigures {
  backend: string;
  config: { name: PresetName; recipe: TrainRecipe };
  machine: MachineInfo;
  /** ISO 8601, when the run finished. */
  date: string;
  steps: number;
  warmupRounds: number;
  batchSize: number;
  /** Every step time, per-variant first steps and build times, the three memory points. */
  detail: StepBenchResult;
  /** Search, isometry and decode timings in full (null when the run skipped them). */
  extras: ExtrasResult | null;
  /** Speed levers in effect (docs/benchmarks.md "Speed levers"). */
  levers: BenchLevers;
}

export interface BenchLevers {
  /** Input gradient of frozen stride-1 convs: forward conv over pre-transformed weights, or tfjs's. */
  convGrad: 'forward' | 'native';
  /** Every candidate run once before timing (Trainer.warmUp), or not: the first steps compile instead. */
  warmUp: 'candidates' | 'none';
}

export const DEFAULT_LEVERS: BenchLevers = { convGrad: 'forward', warmUp: 'candidates' };

/** "convGrad forward, warm-up candidates" (rows of runs before the warm-up existed say only convGrad). */
export function leversLabel(l: BenchLevers): string {
  return `convGrad ${l.convGrad}, warm-up ${l.warmUp}`;
}

export function makeReport(name: PresetName, recipe: TrainRecipe, result: StepBenchResult, machine: MachineInfo, date: Date, extras: ExtrasResult | null = null, levers: BenchLevers = DEFAULT_LEVERS): BenchReport {
  return {
    backend: result.backend,
    config: { name, recipe },
    machine,
    date: date.toISOString(),
    steps: result.steps,
    warmupRounds: result.warmupRounds,
    batchSize: result.batchSize,
    ...headlineFigures(result),
    ...extrasFigures(extras),
    detail: result,
    extras,
    levers,
  };
}

const ms = (v: number | null): string => (v === null ? 'n/a' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));
const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : (bytes / 2 ** 20).toFixed(1));
const count = (v: number | null): string => (v === null ? 'n/a' : String(v));
const flat = (v: boolean | null): string => (v === null ? 'n/a' : v ? 'yes' : 'NO');

export function machineLabel(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.platform}, ${m.runtime}`;
}

/** The run as a two-column markdown table (the CLI's output without --json). */
export function reportMarkdown(r: BenchReport): string {
  const rows: Array<[string, string]> = [
    ['config', `${r.config.name} (${r.config.recipe.space}, ${r.config.recipe.config.resolution} px, width ${r.config.recipe.config.widthMult}, ${r.config.recipe.config.numClasses} classes, batch ${r.batchSize})`],
    ['backend', r.backend],
    ['levers', leversLabel(r.levers)],
    ['machine', machineLabel(r.machine)],
    ['date', r.date],
    ['timed steps (after warm-up rounds)', `${r.steps} (after ${r.warmupRounds})`],
    ['bnOnlyMedianStepMs (mode bn, 1 uniform path)', ms(r.bnOnlyMedianStepMs)],
    ['allWeightsMedianStepMs (mode all, same paths)', ms(r.allWeightsMedianStepMs)],
    ['ratioBnOnlyToAll', ratio(r.ratioBnOnlyToAll)],
    [`fairStepMedianMs (m = ${count(r.pathsPerFairStep)} paths)`, ms(r.fairStepMedianMs)],
    ['mTimesUniformMs', ms(r.mTimesUniformMs)],
    ['ratioFairToMUniform', ratio(r.ratioFairToMUniform)],
    ['warmUpMs (every candidate once, both trainers)', ms(r.warmUpMs)],
    ['firstStepMs', ms(r.firstStepMs)],
    ['imagesPerSecond (BN-only)', r.imagesPerSecond.toFixed(1)],
    ['tensorsAfter10 / bytesAfter10', `${count(r.tensorsAfter10)} / ${count(r.bytesAfter10)}`],
    [`tensorsAfterN / bytesAfterN (N = ${r.roundsTotal} rounds)`, `${r.tensorsAfterN} / ${r.bytesAfterN}`],
    ['programsAfterWarmUp / programsAfter10 / programsAfterN (compiled GPU programs)', `${count(r.programsAfterWarmUp)} / ${count(r.programsAfter10)} / ${count(r.programsAfterN)}`],
    ['memoryFlat (round 10 -> N)', flat(r.memoryFlat)],
    ['searchMs (50 x 20 evolution on the indicator table)', ms(r.searchMs)],
    [`isometryLayerMs (all candidates of one layer, default tile)`, ms(r.isometryLayerMs)],
    ['decodeImagesPerSecond', r.decodeImagesPerSecond === null ? 'n/a' : r.decodeImagesPerSecond.toFixed(0)],
    ['watchShare (live isometry, default watch and 10 % cadence)', watchLabel(r.extras?.watch)],
  ];
  return ['| figure | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
}

function watchLabel(w: ExtrasResult['watch']): string {
  if (!w) return 'n/a';
  if ('error' in w) return `failed: ${w.error}`;
  const after = w.shareAfterFirst === null ? '' : `, ${(100 * w.shareAfterFirst).toFixed(1)} % after the first`;
  const median = [...w.analysisMs].sort((a, b) => a - b)[Math.floor(w.analysisMs.length / 2)] ?? NaN;
  return `${(100 * w.share).toFixed(1)} %${after} (${w.watches} analyses of ${w.modules} modules in ${w.steps} steps, median ${ms(median)} ms each)`;
}

export const DOC_ROWS_START = '<!-- bench:rows:start -->';
export const DOC_ROWS_END = '<!-- bench:rows:end -->';
export const DOC_TABLE_HEADER = [
  '| date | machine | backend | config | levers | steps | BN-only ms | all ms | BN/all | fair ms (m) | m x uniform ms | fair/(m x uniform) | first step ms | img/s (BN-only) | tensors @10 / @N | MiB @10 / @N | N | flat | search ms | isometry ms | decode img/s | note |',
  '| --- | --- | --- | --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: | --: | --: | --- |',
];

/** Cells that identify a row: a new run of the same machine, backend, config and levers replaces it. */
function rowKey(cells: string[]): string {
  return [cells[1], cells[2], cells[3], cells[4]].join('\u0000');
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

export function docsRow(r: BenchReport, note: string): string {
  const cells = [
    r.date.slice(0, 10),
    machineLabel(r.machine),
    r.backend,
    r.config.name,
    leversLabel(r.levers),
    `${r.steps}`,
    ms(r.bnOnlyMedianStepMs),
    ms(r.allWeightsMedianStepMs),
    ratio(r.ratioBnOnlyToAll),
    r.fairStepMedianMs === null ? 'n/a' : `${ms(r.fairStepMedianMs)} (${r.pathsPerFairStep})`,
    ms(r.mTimesUniformMs),
    ratio(r.ratioFairToMUniform),
    ms(r.firstStepMs),
    r.imagesPerSecond.toFixed(1),
    `${count(r.tensorsAfter10)} / ${r.tensorsAfterN}`,
    `${mib(r.bytesAfter10)} / ${mib(r.bytesAfterN)}`,
    `${r.roundsTotal}`,
    flat(r.memoryFlat),
    ms(r.searchMs),
    ms(r.isometryLayerMs),
    r.decodeImagesPerSecond === null ? 'n/a' : r.decodeImagesPerSecond.toFixed(0),
    note,
  ];
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/**
 * Insert `row` into the results table of docs/benchmarks.md (between the markers), replacing the
 * row with the same machine, backend and config. Throws if the markers are missing.
 */
export function upsertDocsRow(doc: string, row: string): string {
  const start = doc.indexOf(DOC_ROWS_START);
  const end = doc.indexOf(DOC_ROWS_END);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no "${DOC_ROWS_START}" ... "${DOC_ROWS_END}" block`);
  const inner = doc.slice(start + DOC_ROWS_START.length, end).split('\n').map((l) => l.trim());
  const rows = inner.filter((l) => l.startsWith('|') && !DOC_TABLE_HEADER.includes(l));
  const key = rowKey(splitRow(row));
  const i = rows.findIndex((l) => rowKey(splitRow(l)) === key);
  if (i >= 0) rows[i] = row;
  else rows.push(row);
  const block = [DOC_ROWS_START, ...DOC_TABLE_HEADER, ...rows, DOC_ROWS_END].join('\n');
  return doc.slice(0, start) + block + doc.slice(end + DOC_ROWS_END.length);
}
