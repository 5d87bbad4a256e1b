// The ranking-correlation experiment (how the lab tests the paper's central claim): K subnets
// sampled stratified by MACs (stratified.ts); for each supernet initialiser, a supernet trained
// BN-only for `supernetSteps` on the data, its indicator table read, and every subnet scored by
// each rule; every subnet retrained from scratch with the same budget (retrain/, the same recipe
// and seed for all); Kendall tau-b and Spearman rho between fitness and held-out top-1.
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
import { fitness, type ScoreRule } from './score.ts';
import type { StopSignal } from './searchRun.ts';
import { sampleStratifiedByMacs } from './stratified.ts';
import { readIndicators } from '../model/indicators.ts';

export interface RankCorrConfig {
  space: SpaceId;
  config: SpaceConfig;
  /** Subnets sampled (>= 2). */
  k: number;
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
  | { phase: 'scores'; init: InitName; table: IndicatorTable }
  | { phase: 'retrain'; index: number; k: number; step: number; steps: number; loss: number }
  | { phase: 'subnet'; index: number; k: number; arch: Arch; top1: number; top5: number };

export interface RankCorrSubnet {
  arch: Arch;
  stratum: number;
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
  /** fitness[rule][i]: subnet i's fitness under `rule`. */
  fitness: Record<string, number[]>;
  /** Correlation of each rule's fitness with top-1 (NaN when undefined, e.g. all accuracies equal). */
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
  int(c.k, 2, 'k');
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
  const picks = sampleStratifiedByMacs(space, c.config, c.k, c.seed);
  const stop = () => (hooks.signal?.aborted ?? false) || (hooks.shouldStop?.() ?? false);
  const supernets: RankCorrSupernet[] = [];
  const subnets: RankCorrSubnet[] = [];
  const result = (stopped: boolean): RankCorrResult => ({ config: c, data: source.name, subnets, supernets, stopped });
  try {
    for (const init of c.inits) {
      const { table, trainLoss } = await trainSupernet(c, init, source, hooks, stop);
      hooks.onProgress?.({ phase: 'scores', init, table });
      const fit: Record<string, number[]> = {};
      for (const rule of c.rules) fit[rule] = picks.map((p) => fitness(table, rule, p.arch));
      supernets.push({ init, trainLoss, fitness: fit, correlation: {} });
    }
    for (let i = 0; i < picks.length; i++) {
      const p = picks[i];
      const recipe = resolveRetrainRecipe({ ...c.retrain, space: c.space, config: c.config, arch: p.arch, seed: c.seed, totalSteps: c.retrainSteps });
      const r = await runRetrain(recipe, source, {
        evalBatches: c.evalBatches,
        shouldStop: stop,
        onStep: (s) => hooks.onProgress?.({ phase: 'retrain', index: i, k: c.k, step: s.step, steps: c.retrainSteps, loss: s.loss }),
      });
      if (r.stopped) throw new Stopped();
      subnets.push({ arch: p.arch, stratum: p.stratum, macs: p.macs, params: p.params, top1: r.top1, top5: r.top5, trainLoss: r.trainLoss });
      hooks.onProgress?.({ phase: 'subnet', index: i, k: c.k, arch: p.arch, top1: r.top1, top5: r.top5 });
    }
  } catch (e) {
    if (e instanceof Stopped) return result(true);
    throw e;
  }
  const acc = subnets.map((s) => s.top1);
  for (const sn of supernets) {
    for (const rule of c.rules) sn.correlation[rule] = { kendallTau: kendallTauB(sn.fitness[rule], acc), spearmanRho: spearmanRho(sn.fitness[rule], acc) };
  }
  return result(false);
}
