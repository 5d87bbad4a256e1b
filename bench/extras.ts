// The benchmark's non-training figures, measured in the same run as the step benchmark and on
// the same backend, over the BN-only trainer the step benchmark has just trained: the full
// evolutionary search (docs/method.md's 50 x 20) on that supernet's indicator table, the isometry
// analysis of every candidate of one layer at the default tile, (where a decoder is given) image
// decode throughput, and live isometry's share of wall time while training (watchBench.ts). No Node APIs: the browser worker runs it as is.
import * as tf from '@tensorflow/tfjs-core';
import { analyseIsometry } from '../src/core/isometry/analyse.ts';
import { DEFAULT_TILE } from '../src/core/isometry/jacobian.ts';
import { DEFAULT_EVOLUTION, evolutionSearch } from '../src/core/search/evolution.ts';
import { DEFAULT_SCORE_RULE } from '../src/core/search/score.ts';
import { getSpace } from '../src/core/space/spaces.ts';
import type { Trainer } from '../src/core/train/trainer.ts';
import type { Clock } from './stepBench.ts';
import { timeWatch, WATCH_BENCH_STEPS, type WatchTiming } from './watchBench.ts';
import { readIndicators } from '../src/core/model/indicators.ts';
import { errorMessage } from '../src/core/errors.ts';

export interface SearchTiming {
  /** Wall time of reading the indicator table (one async read-back) plus the whole search. */
  ms: number;
  /** The search alone (pure JS on the table). */
  searchOnlyMs: number;
  populationSize: number;
  generations: number;
  evaluated: number;
  rule: string;
  maxMacs: number;
}

export interface IsometryTiming {
  /** Wall time of analyseIsometry over every candidate of `layer` (depth profile off). */
  ms: number;
  layer: number;
  candidates: number;
  tile: number;
  /** Each module's own time as analyseIsometry reports it. */
  perModuleMs: number[];
}

export interface DecodeTiming {
  decoder: string;
  images: number;
  ms: number;
  imagesPerSecond: number;
}

export interface ExtrasResult {
  search: SearchTiming | { error: string };
  isometry: IsometryTiming | { error: string };
  decode: DecodeTiming | { error: string } | null;
  /** Live isometry's share of wall time (watchBench.ts); absent in reports from before it existed. */
  watch?: WatchTiming | { error: string } | null;
}

export interface ExtrasOptions {
  /** Searchable layer whose candidates the isometry timing analyses; default the middle one. */
  isometryLayer?: number;
  /** Measures decode throughput (set by the runner where a decoder exists); null = not measured. */
  decode?: (() => Promise<DecodeTiming>) | null;
  /** Training steps of the live-isometry figure (default WATCH_BENCH_STEPS; 0 = not measured). Runs last: it trains the trainer on. */
  watchSteps?: number;
}


async function guarded<T>(f: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await f();
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

export async function timeSearch(trainer: Trainer, clock: Clock): Promise<SearchTiming> {
  const r = trainer.recipe;
  const space = getSpace(r.space);
  const t0 = clock();
  const table = await readIndicators(trainer.supernet);
  const t1 = clock();
  const res = evolutionSearch({ space, config: r.config, table, rule: DEFAULT_SCORE_RULE, limits: { maxMacs: space.defaultMaxMacs }, seed: 0 });
  const t2 = clock();
  return {
    ms: t2 - t0,
    searchOnlyMs: t2 - t1,
    populationSize: DEFAULT_EVOLUTION.populationSize,
    generations: res.history.length,
    evaluated: res.evaluated,
    rule: DEFAULT_SCORE_RULE,
    maxMacs: space.defaultMaxMacs,
  };
}

export async function timeIsometry(trainer: Trainer, batch: tf.Tensor4D, layer: number, clock: Clock): Promise<IsometryTiming> {
  const t0 = clock();
  const res = await analyseIsometry(trainer.supernet, batch, { layers: [layer], depth: false });
  return { ms: clock() - t0, layer, candidates: res.modules.length, tile: DEFAULT_TILE.size, perModuleMs: res.modules.map((m) => m.ms) };
}

/** All extras; a failing one reports its error and the others still run. */
export async function runExtras(trainer: Trainer, batch: tf.Tensor4D, o: ExtrasOptions, clock: Clock = () => performance.now()): Promise<ExtrasResult> {
  const layer = o.isometryLayer ?? Math.floor(trainer.supernet.numLayers / 2);
  const search = await guarded(() => timeSearch(trainer, clock));
  const isometry = await guarded(() => timeIsometry(trainer, batch, layer, clock));
  const decode = o.decode ? await guarded(o.decode) : null;
  const watchSteps = o.watchSteps ?? WATCH_BENCH_STEPS;
  const watch = watchSteps > 0 ? await guarded(() => timeWatch(trainer, batch, watchSteps, clock)) : null;
  return { search, isometry, decode, watch };
}
