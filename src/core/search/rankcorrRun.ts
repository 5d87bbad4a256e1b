// The ranking-correlation experiment (how the lab tests the paper's central claim): K subnets
// sampled stratified by MACs (stratified.ts); for each supernet initialiser, a supernet trained
// BN-only for `supernetSteps` on the data, its indicator table read, and every subnet scored by
// each rule; every subnet retrained from scratch with the same budget (retrain/, the same recipe
// and seed for all); Kendall tau-b and Spearman rho between fitness and held-out top-1.
//
// With `select` (the ranking study on the demo, docs/learnability.md) the subnets are instead each
// supernet's own extremes under the first rule: its `top` fittest, `bottom` least fit and `random`
// others (extremes.ts); every distinct subnet is retrained once, and each supernet's correlation
// is over its own selection.
//
// The retraining does not depend on the supernet, so each subnet is retrained once and its
// accuracy is correlated with the fitness from every supernet (same data, same seed, same
// subnets): the initialisers differ only in the indicators.
import { resolveRecipe, type TrainRecipe } from '../train/recipe.ts';
import type { BatchSource } from '../data/source.ts';
import type { InitName } from '../init/index.ts';
import { resolveRetrainRecipe, type RetrainRecipe } from '../retrain/recipe.ts';
import { runRetrain } from '../retrain/run.ts';
import { getSpace } from '../space/spaces.ts';
import type { Arch, SpaceConfig, SpaceId } from '../space/types.ts';
import { Trainer } from '../train/trainer.ts';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { kendallTauB, spearmanRho } from './rankcorr.ts';
import { deriveRng } from '../rng.ts';
import { referenceConfig } from '../space/cost.ts';
import { resolveSpace } from '../space/decode.ts';
import { costTable, tableCost, type CostTable } from './costTable.ts';
import { selectExtremes, type ExtremeCounts, type ExtremeGroup } from './extremes.ts';
import { fitness, layerTerms, type ScoreRule } from './score.ts';
import type { StopSignal } from './searchRun.ts';
import { sampleStratifiedByMacs } from './stratified.ts';
import { readIndicators } from '../model/indicators.ts';

export interface RankCorrConfig {
  space: SpaceId;
  config: SpaceConfig;
  /** Subnets sampled stratified by MACs (>= 2); ignored when `select` is set. */
  k: number;
  /**
   * Instead of the stratified sample: each supernet's `top` fittest, `bottom` least fit and `random`
   * other subnets under the first rule (at least 2 in all); absent or null = stratified.
   */
  select?: ExtremeCounts | null;
  /** Seeds the sample, the supernets and the retraining (the data has its own seed). */
  seed: number;
  inits: InitName[];
  rules: ScoreRule[];
  /** BN-only supernet training: steps, and overrides of the default training recipe. */
  supernetSteps: number;
  supernet: Partial<Pick<TrainRecipe, 'batchSize' | 'lr' | 'sampler' | 'mode' | 'gradClipNorm' | 'dropout'>>;
  /** Retraining budget, the same for every subnet, and overrides of DEFAULT_RETRAIN. */
  retrainSteps: number;
  retrain: Partial<Pick<RetrainRecipe, 'batchSize' | 'lr' | 'init' | 'weightDecay' | 'labelSmoothing' | 'dropout' | 'zeroInitResidual' | 'warmupSteps' | 'gradClipNorm'>>;
  /** Held-out batches (of the retrain batch size) each retrained subnet is evaluated on; null = all. */
  evalBatches: number | null;
}

export type RankCorrProgress =
  | { phase: 'supernet'; init: InitName; step: number; steps: number; loss: number }
  | { phase: 'scores'; init: InitName; table: IndicatorTable; selected?: Array<{ arch: Arch; group: ExtremeGroup; fitness: number }> }
  | { phase: 'retrain'; index: number; k: number; step: number; steps: number; loss: number }
  | { phase: 'subnet'; index: number; k: number; arch: Arch; top1: number; top5: number };

export interface RankCorrSubnet {
  arch: Arch;
  /** 0-based MAC stratum of the stratified sample; null under `select`. */
  stratum: number | null;
  /** Reference cost (224 px / 1000 classes, configured width). */
  macs: number;
  params: number;
  top1: number;
  top5: number;
  /** Mean training loss over the last steps of its retraining. */
  trainLoss: number | null;
}

export interface RankCorrSupernet {
  init: InitName;
  /** Mean supernet training loss over the last min(10, steps) steps. */
  trainLoss: number;
  /** fitness[rule][i]: subnet i's fitness under `rule` (every retrained subnet, selected or not). */
  fitness: Record<string, number[]>;
  /** Under `select`: this supernet's selection, as indices into `subnets` with their group; absent otherwise (all subnets). */
  selected?: Array<{ index: number; group: ExtremeGroup }>;
  /** Correlation of each rule's fitness with top-1 over the selection (NaN when undefined, e.g. all accuracies equal). */
  correlation: Record<string, { kendallTau: number; spearmanRho: number }>;
}

export interface RankCorrResult {
  config: RankCorrConfig;
  data: string;
  subnets: RankCorrSubnet[];
  supernets: RankCorrSupernet[];
  stopped: boolean;
}

export interface RankCorrHooks {
  onProgress?: (p: RankCorrProgress) => void;
  signal?: StopSignal;
  shouldStop?: () => boolean;
}

class Stopped extends Error {}

function checkConfig(c: RankCorrConfig, source: BatchSource): void {
  const int = (v: number, min: number, what: string) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`rankcorr: ${what} must be an integer >= ${min}, got ${v}`);
  };
  if (c.select) {
    const { top, bottom, random } = c.select;
    for (const [n, v] of [['top', top], ['bottom', bottom], ['random', random]] as const) int(v, 0, `select.${n}`);
    if (top + bottom + random < 2) throw new Error(`rankcorr: select needs at least 2 subnets in all, got ${top + bottom + random}`);
  } else int(c.k, 2, 'k');
  int(c.supernetSteps, 1, 'supernetSteps');
  int(c.retrainSteps, 1, 'retrainSteps');
  if (c.inits.length === 0) throw new Error('rankcorr: at least one init');
  if (c.rules.length === 0) throw new Error('rankcorr: at least one rule');
  if (source.numClasses !== c.config.numClasses || source.resolution !== c.config.resolution) {
    throw new Error(`rankcorr: data "${source.name}" is ${source.resolution} px / ${source.numClasses} classes; the config is ${c.config.resolution} px / ${c.config.numClasses} classes`);
  }
}

/** Train a BN-only supernet and return its indicator table and last-10 mean loss. */
async function trainSupernet(c: RankCorrConfig, init: InitName, source: BatchSource, hooks: RankCorrHooks, stop: () => boolean): Promise<{ table: IndicatorTable; trainLoss: number }> {
  const recipe = resolveRecipe(undefined, { ...c.supernet, space: c.space, config: c.config, init, seed: c.seed, totalSteps: c.supernetSteps });
  const trainer = new Trainer(recipe);
  const losses: number[] = [];
  try {
    for (let s = 0; s < c.supernetSteps; s++) {
      if (stop()) throw new Stopped();
      const b = await source.trainBatch(s, recipe.batchSize);
      const r = await trainer.stepOn(b);
      losses.push(r.loss);
      hooks.onProgress?.({ phase: 'supernet', init, step: r.step, steps: c.supernetSteps, loss: r.loss });
    }
    const table = await readIndicators(trainer.supernet);
    const last = losses.slice(-10);
    return { table, trainLoss: last.reduce((a, b) => a + b, 0) / last.length };
  } finally {
    trainer.dispose();
  }
}

export async function runRankCorrelation(c: RankCorrConfig, source: BatchSource, hooks: RankCorrHooks = {}): Promise<RankCorrResult> {
  checkConfig(c, source);
  const space = getSpace(c.space);
  const stratified = c.select ? [] : sampleStratifiedByMacs(space, c.config, c.k, c.seed);
  const stop = () => (hooks.signal?.aborted ?? false) || (hooks.shouldStop?.() ?? false);
  const supernets: RankCorrSupernet[] = [];
  const subnets: RankCorrSubnet[] = [];
  const result = (stopped: boolean): RankCorrResult => ({ config: c, data: source.name, subnets, supernets, stopped });
  // The subnets to retrain (distinct, in order of first pick) and each supernet's selection.
  const picks: Array<{ arch: Arch; stratum: number | null }> = stratified.map((p) => ({ arch: p.arch, stratum: p.stratum }));
  const indexOf = new Map<string, number>(picks.map((p, i) => [p.arch.join(','), i]));
  const tables: IndicatorTable[] = [];
  try {
    for (const init of c.inits) {
      const { table, trainLoss } = await trainSupernet(c, init, source, hooks, stop);
      tables.push(table);
      let selected: RankCorrSupernet['selected'];
      let chosen: Array<{ arch: Arch; group: ExtremeGroup; fitness: number }> | undefined;
      if (c.select) {
        // The same random stream for every init: the random picks differ only where the extremes do.
        chosen = selectExtremes(layerTerms(table, c.rules[0]), c.select, deriveRng(c.seed, 'rankcorr', 'random'));
        selected = chosen.map((p) => {
          const key = p.arch.join(',');
          let index = indexOf.get(key);
          if (index === undefined) {
            index = picks.length;
            picks.push({ arch: p.arch, stratum: null });
            indexOf.set(key, index);
          }
          return { index, group: p.group };
        });
      }
      hooks.onProgress?.({ phase: 'scores', init, table, ...(chosen ? { selected: chosen } : {}) });
      supernets.push({ init, trainLoss, fitness: {}, ...(selected ? { selected } : {}), correlation: {} });
    }
    for (let i = 0; i < picks.length; i++) {
      const p = picks[i];
      const recipe = resolveRetrainRecipe({ ...c.retrain, space: c.space, config: c.config, arch: p.arch, seed: c.seed, totalSteps: c.retrainSteps });
      const r = await runRetrain(recipe, source, {
        evalBatches: c.evalBatches,
        shouldStop: stop,
        onStep: (s) => hooks.onProgress?.({ phase: 'retrain', index: i, k: picks.length, step: s.step, steps: c.retrainSteps, loss: s.loss }),
      });
      if (r.stopped) throw new Stopped();
      const cost = tableCost(costs(space, c.config), p.arch);
      subnets.push({ arch: p.arch, stratum: p.stratum, macs: cost.macs, params: cost.params, top1: r.top1, top5: r.top5, trainLoss: r.trainLoss });
      hooks.onProgress?.({ phase: 'subnet', index: i, k: picks.length, arch: p.arch, top1: r.top1, top5: r.top5 });
    }
  } catch (e) {
    if (e instanceof Stopped) {
      fillFitness(c, tables, supernets, picks);
      return result(true);
    }
    throw e;
  }
  fillFitness(c, tables, supernets, picks);
  const acc = subnets.map((s) => s.top1);
  for (const sn of supernets) {
    const idx = sn.selected ? sn.selected.map((s) => s.index) : acc.map((_, i) => i);
    const a = idx.map((i) => acc[i]);
    for (const rule of c.rules) {
      const f = idx.map((i) => sn.fitness[rule][i]);
      sn.correlation[rule] = { kendallTau: kendallTauB(f, a), spearmanRho: spearmanRho(f, a) };
    }
  }
  return result(false);
}

/** Every supernet's fitness of every retrained (or picked) subnet under every rule. */
function fillFitness(c: RankCorrConfig, tables: IndicatorTable[], supernets: RankCorrSupernet[], picks: Array<{ arch: Arch }>): void {
  supernets.forEach((sn, k) => {
    for (const rule of c.rules) sn.fitness[rule] = picks.map((p) => fitness(tables[k], rule, p.arch));
  });
}

let costCache: { key: string; table: CostTable } | null = null;
/** The reference cost table (224 px / 1000 classes, configured width), as the stratified sample uses. */
function costs(space: ReturnType<typeof getSpace>, config: SpaceConfig): CostTable {
  const key = `${space.id}|${JSON.stringify(config)}`;
  if (costCache?.key !== key) costCache = { key, table: costTable(resolveSpace(space, referenceConfig(config))) };
  return costCache.table;
}
