// The training recipe: one defaults object with a comment per field, presets as small
// overrides, and one validating resolver. The resolved recipe is stored in every checkpoint and
// printed with every result, so a run is reproducible from it alone. Also here: the lab's training
// settings (the subset of the recipe the web app exposes, plain data the protocol re-exports) and
// the synthetic data a recipe trains on. Pure data and checks: no tensors, no DOM.
import type { SyntheticConfig } from '../data/synthetic.ts';
import { DEFAULT_GAINS, INIT_NAMES, type InitGains, type InitName } from '../init/index.ts';
import { checkRange } from '../limits.ts';
import { SPACES } from '../space/spaces.ts';
import type { SpaceConfig, SpaceId } from '../space/types.ts';
import { TRAIN_MODES, type TrainMode } from './modes.ts';
import { SAMPLER_KINDS, type SamplerKind } from './sampler.ts';
import { checkStepMemory } from './stepMemory.ts';

/** Everything the frozen supernet is a pure function of (stored in checkpoints). */
export interface SupernetRecipe {
  space: SpaceId;
  config: SpaceConfig;
  init: InitName;
  gains: InitGains;
  seed: number;
  mode: TrainMode;
  /** Dropout before the classifier; null = the space's own rate. */
  dropout: number | null;
}

export interface SyntheticDataSpec {
  kind: 'synthetic';
  /** Std of the additive pixel noise of the built-in generator. */
  noise: number;
  trainSize: number;
  valSize: number;
  /**
   * Amplitude of the planted long-range pairing (docs/synthetic-data.md): class evidence that only
   * a receptive field spanning 3/8 of the image reads, so the ranking study has a right answer.
   * Absent or 0 = off (the default: the demo's data is unchanged); the CLI's --planted A sets it.
   */
  planted?: number;
  /** With planted > 0: the pairing is the only class evidence (the ranking study's data); the CLI's --planted-only. */
  plantedOnly?: boolean;
}
export type DataSpec = SyntheticDataSpec;

export interface TrainRecipe extends SupernetRecipe {
  sampler: SamplerKind;
  /**
   * How the m path gradients of one fair step combine: 'sum' (FairNAS: backward m times, one
   * update) or 'mean' (divide by m, so shared layers move as in a uniform step).
   */
  gradAccumulation: 'sum' | 'mean';
  batchSize: number;
  /** Horizon of the cosine schedule, in steps. */
  totalSteps: number;
  /** Peak learning rate (step 0) and the floor the cosine anneals to. */
  lr: number;
  lrMin: number;
  momentum: number;
  /** Weight decay on conv / linear weights (mode `all` only); BN parameters never decay. */
  weightDecay: number;
  labelSmoothing: number;
  /** Momentum of the BN running statistics (PyTorch convention). */
  bnMomentum: number;
  /** Clip the global L2 norm of each step's gradient to this value (BN-NAS clips at 5); null = off. */
  gradClipNorm: number | null;
  /** Dropout before the classifier during training; null = the space's own rate. */
  dropout: number | null;
  data: DataSpec;
}

export const DEFAULT_RECIPE: TrainRecipe = {
  space: 'bnnas-mbv2', // the paper's MobileNetV2 setting
  config: { resolution: 224, widthMult: 1, numClasses: 1000, identity: true }, // identity = layer indicator on
  init: 'orthogonal', // "dynamical isometry"; 'he-normal' is the BN-NAS baseline
  gains: DEFAULT_GAINS,
  seed: 0,
  mode: 'bn', // train every BN affine pair, nothing else
  sampler: 'fair', // FairNAS strict fairness
  gradAccumulation: 'sum', // FairNAS accumulates (sums) the m path gradients
  batchSize: 32,
  totalSteps: 1000,
  lr: 0.1,
  lrMin: 0,
  momentum: 0.9,
  weightDecay: 4e-5,
  labelSmoothing: 0.1,
  bnMomentum: 0.1,
  gradClipNorm: null,
  dropout: null,
  data: { kind: 'synthetic', noise: 0.5, trainSize: 50_000, valSize: 5_000 },
};

export const PRESET_NAMES = ['tiny', 'small', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
type RecipeOverride = Partial<Omit<TrainRecipe, 'config' | 'data'>> & { config?: Partial<SpaceConfig>; data?: Partial<DataSpec> };

export const PRESETS: Record<PresetName, RecipeOverride> = {
  /**
   * The built-in demo (the default setup): the 2-layer `demo-mbv2` space at 16 px, quarter width,
   * 4 classes, lr 0.3, with the method unchanged (mode bn, fair sampler, orthogonal, identity on);
   * BN-only training visibly learns the synthetic data within its 100 steps on a CPU
   * (docs/learnability.md). `small` and `paper` train the paper's space.
   */
  tiny: { space: 'demo-mbv2', config: { resolution: 16, widthMult: 0.25, numClasses: 4 }, batchSize: 16, totalSteps: 100, lr: 0.3 },
  /** Benchmarks on CPU-class machines: 64 px, full width, 1000 classes. */
  small: { config: { resolution: 64, widthMult: 1, numClasses: 1000 }, batchSize: 32 },
  /** The paper's setting: 224 px, full width, 1000 classes, batch 32 (its latency figure). */
  paper: { config: { resolution: 224, widthMult: 1, numClasses: 1000 }, batchSize: 32 },
};

/** Merge overrides onto a base recipe (config and data merged field by field). */
export function mergeRecipe(base: TrainRecipe, o: RecipeOverride): TrainRecipe {
  return { ...base, ...o, config: { ...base.config, ...o.config }, data: { ...base.data, ...o.data } as DataSpec, gains: { ...base.gains, ...o.gains } };
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(`invalid recipe: ${msg}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isPos = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Validate a recipe; throws an Error naming the first bad field. Returns it unchanged. */
export function validateRecipe(r: TrainRecipe): TrainRecipe {
  check(r.space in SPACES, `space "${r.space}" is unknown (known: ${Object.keys(SPACES).join(', ')})`);
  check(INIT_NAMES.includes(r.init), `init "${r.init}" is unknown (known: ${INIT_NAMES.join(', ')})`);
  check(TRAIN_MODES.includes(r.mode), `mode "${r.mode}" is unknown (known: ${TRAIN_MODES.join(', ')})`);
  check(SAMPLER_KINDS.includes(r.sampler), `sampler "${r.sampler}" is unknown (known: ${SAMPLER_KINDS.join(', ')})`);
  check(r.gradAccumulation === 'sum' || r.gradAccumulation === 'mean', `gradAccumulation must be "sum" or "mean", got "${r.gradAccumulation}"`);
  check(isInt(r.seed) && r.seed >= 0 && r.seed <= 0xffffffff, `seed must be an integer in 0..2^32-1, got ${r.seed}`);
  check(isInt(r.config.resolution) && r.config.resolution >= 8, `resolution must be an integer >= 8, got ${r.config.resolution}`);
  check(isPos(r.config.widthMult), `width must be > 0, got ${r.config.widthMult}`);
  check(isInt(r.config.numClasses) && r.config.numClasses >= 2, `classes must be an integer >= 2, got ${r.config.numClasses}`);
  check(isInt(r.batchSize) && r.batchSize >= 2, `batch must be an integer >= 2 (BN needs batch statistics), got ${r.batchSize}`);
  check(isInt(r.totalSteps) && r.totalSteps >= 1, `steps must be a positive integer, got ${r.totalSteps}`);
  check(isPos(r.lr), `lr must be > 0, got ${r.lr}`);
  check(Number.isFinite(r.lrMin) && r.lrMin >= 0 && r.lrMin <= r.lr, `lrMin must be in [0, lr], got ${r.lrMin}`);
  check(r.momentum >= 0 && r.momentum < 1, `momentum must be in [0, 1), got ${r.momentum}`);
  check(r.weightDecay >= 0, `weightDecay must be >= 0, got ${r.weightDecay}`);
  check(r.labelSmoothing >= 0 && r.labelSmoothing < 1, `labelSmoothing must be in [0, 1), got ${r.labelSmoothing}`);
  check(r.bnMomentum > 0 && r.bnMomentum <= 1, `bnMomentum must be in (0, 1], got ${r.bnMomentum}`);
  check(r.gradClipNorm === null || isPos(r.gradClipNorm), `gradClipNorm must be null or > 0, got ${r.gradClipNorm}`);
  check(r.dropout === null || (r.dropout >= 0 && r.dropout < 1), `dropout must be null or in [0, 1), got ${r.dropout}`);
  check(isPos(r.gains.relu) && isPos(r.gains.linear), `gains must be > 0`);
  check(r.data.kind === 'synthetic', `data kind "${r.data.kind}" is not supported here`);
  check(isInt(r.data.trainSize) && r.data.trainSize >= 1 && isInt(r.data.valSize) && r.data.valSize >= 1, 'data sizes must be positive integers');
  check(r.data.planted === undefined || (Number.isFinite(r.data.planted) && r.data.planted >= 0), `data.planted must be a finite number >= 0, got ${String(r.data.planted)}`);
  check(!r.data.plantedOnly || (r.data.planted ?? 0) > 0, 'data.plantedOnly needs data.planted > 0');
  // The limits (src/core/limits.ts), then the step's memory estimate, before anything is built.
  checkRange('resolution', r.config.resolution, 'recipe resolution');
  checkRange('widthMult', r.config.widthMult, 'recipe width');
  checkRange('numClasses', r.config.numClasses, 'recipe classes');
  checkRange('batchSize', r.batchSize, 'recipe batch');
  checkRange('steps', r.totalSteps, 'recipe steps');
  checkRange('lr', r.lr, 'recipe lr');
  checkStepMemory(r, r.batchSize);
  return r;
}

/** DEFAULT_RECIPE, then a preset, then explicit overrides; validated. */
export function resolveRecipe(preset?: PresetName, overrides: RecipeOverride = {}): TrainRecipe {
  const base = preset ? mergeRecipe(DEFAULT_RECIPE, PRESETS[preset]) : DEFAULT_RECIPE;
  return validateRecipe(mergeRecipe(base, overrides));
}

export type { RecipeOverride, InitGains, InitName, SpaceId };

// ---------------------------------------------------------------------------------------------
// The lab's training settings: the subset of TrainRecipe the web app exposes, plain data so the
// UI can hold, validate and put them in the URL without importing the engine.

export interface TrainSettings {
  space: SpaceId;
  /** Input side in pixels (square), >= 8. */
  resolution: number;
  /** Channel width multiplier, > 0. */
  widthMult: number;
  /** Number of classes, >= 2. */
  numClasses: number;
  init: InitName;
  /** Integer in 0..2^32-1; seeds weights, data and the sampler. */
  seed: number;
  mode: TrainMode;
  sampler: SamplerKind;
  /** Images per step, >= 2 (BN needs batch statistics). */
  batchSize: number;
  /** Steps of the run (the cosine schedule's horizon), >= 1. */
  totalSteps: number;
  /** Peak learning rate (step 0), > 0. */
  lr: number;
}

/** The settings a recipe shows. */
export function settingsOf(r: TrainRecipe): TrainSettings {
  return {
    space: r.space,
    resolution: r.config.resolution,
    widthMult: r.config.widthMult,
    numClasses: r.config.numClasses,
    init: r.init,
    seed: r.seed,
    mode: r.mode,
    sampler: r.sampler,
    batchSize: r.batchSize,
    totalSteps: r.totalSteps,
    lr: r.lr,
  };
}

/** Each preset merged onto DEFAULT_RECIPE, as settings (what resolveRecipe(name) gives). */
export const PRESET_SETTINGS = Object.fromEntries(PRESET_NAMES.map((n) => [n, settingsOf(mergeRecipe(DEFAULT_RECIPE, PRESETS[n]))])) as Record<PresetName, TrainSettings>;

/** `preset` + `settings` -> a validated recipe; names the first bad field when a setting is out of range. */
export function recipeFromSettings(preset: PresetName, s: TrainSettings): TrainRecipe {
  return resolveRecipe(preset, {
    space: s.space,
    init: s.init,
    seed: s.seed,
    mode: s.mode,
    sampler: s.sampler,
    batchSize: s.batchSize,
    totalSteps: s.totalSteps,
    lr: s.lr,
    config: { resolution: s.resolution, widthMult: s.widthMult, numClasses: s.numClasses },
  });
}

/** The built-in synthetic dataset a recipe trains on. */
export function syntheticDataOf(r: TrainRecipe): SyntheticConfig {
  return {
    seed: r.seed,
    numClasses: r.config.numClasses,
    resolution: r.config.resolution,
    noise: r.data.noise,
    trainSize: r.data.trainSize,
    valSize: r.data.valSize,
    ...(r.data.planted ? { planted: r.data.planted } : {}),
    ...(r.data.plantedOnly ? { plantedOnly: true } : {}),
  };
}
