// The retraining recipe of a picked subnet (a standalone network, every weight trainable, trained
// from scratch): one defaults object with a comment per field and one validating resolver. The
// resolved recipe is stored in every retrain checkpoint and printed with every result.
import { DEFAULT_GAINS, INIT_NAMES, type InitGains, type InitName } from '../init/index.ts';
import { getSpace, isSpaceId } from '../space/spaces.ts';
import { resolveSpace, validateArch } from '../space/decode.ts';
import type { Arch, SpaceConfig, SpaceId } from '../space/types.ts';

export interface RetrainRecipe {
  space: SpaceId;
  config: SpaceConfig;
  /** The subnet: one choice per searchable layer (-1 = identity, dropped from the network). */
  arch: Arch;
  /**
   * Initialiser of every conv / linear weight (BN: gamma 1, beta 0; classifier bias 0).
   * 'he-normal' (default) is torchvision's / BN-NAS's MobileNetV2 recipe: kaiming-normal fan_out
   * convs, N(0, 0.01) classifier. 'orthogonal' / 'delta-orthogonal' use the lab's gains.
   */
  init: InitName;
  gains: InitGains;
  /** Seeds the initial weights, the dropout masks and nothing else (the data has its own seed). */
  seed: number;
  batchSize: number;
  /** Horizon of the cosine schedule, in steps (epochs are converted by the caller). */
  totalSteps: number;
  /** Peak learning rate (step 0), annealed by a cosine to lrMin. */
  lr: number;
  lrMin: number;
  /** Linear warm-up: the lr is scaled by min(1, (step + 1) / warmupSteps) (0 = none). */
  warmupSteps: number;
  /** Clip the global L2 norm of each step's gradient to this value (PyTorch clip_grad_norm_); null = off. */
  gradClipNorm: number | null;
  momentum: number;
  /** L2 weight decay (added to the gradient, PyTorch SGD) on conv and classifier weights; never on BN or biases. */
  weightDecay: number;
  /** Whether depthwise conv weights decay too (timm decays every >= 2-D weight: true). */
  decayDepthwise: boolean;
  labelSmoothing: number;
  /** Momentum of the BN running statistics (PyTorch convention). */
  bnMomentum: number;
  /** Dropout before the classifier; null = the space's own rate. */
  dropout: number | null;
  /**
   * Start the last BN's gamma of every residual inverted-residual block at 0, so each residual
   * block starts as the identity (Goyal et al. 2017; timm's zero_init_last). Off by default.
   */
  zeroInitResidual: boolean;
}

export const DEFAULT_RETRAIN: Omit<RetrainRecipe, 'space' | 'config' | 'arch'> = {
  init: 'he-normal', // the standard from-scratch recipe, independent of the supernet's init
  gains: DEFAULT_GAINS,
  seed: 0,
  batchSize: 32,
  totalSteps: 1000,
  lr: 0.05, // SPOS / BN-NAS use 0.5 at batch 1024 (linear scaling: ~0.016 at 32); small nets take more
  lrMin: 0,
  warmupSteps: 0,
  gradClipNorm: null,
  momentum: 0.9,
  weightDecay: 4e-5, // MobileNetV2 / SPOS value
  decayDepthwise: true,
  labelSmoothing: 0.1,
  bnMomentum: 0.1,
  dropout: null,
  zeroInitResidual: false,
};

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(`invalid retrain recipe: ${msg}`);
}

/** Throws an Error naming the first bad field (architecture errors name the layer). */
export function validateRetrainRecipe(r: RetrainRecipe): RetrainRecipe {
  check(typeof r.space === 'string' && isSpaceId(r.space), `space "${String(r.space)}" is unknown`);
  try {
    validateArch(resolveSpace(getSpace(r.space), r.config), r.arch);
  } catch (e) {
    check(false, (e as Error).message);
  }
  check(INIT_NAMES.includes(r.init), `init "${r.init}" is unknown (known: ${INIT_NAMES.join(', ')})`);
  check(Number.isInteger(r.seed) && r.seed >= 0 && r.seed <= 0xffffffff, `seed must be an integer in 0..2^32-1, got ${r.seed}`);
  check(Number.isInteger(r.batchSize) && r.batchSize >= 2, `batchSize must be an integer >= 2 (BN needs batch statistics), got ${r.batchSize}`);
  check(Number.isInteger(r.totalSteps) && r.totalSteps >= 1, `totalSteps must be a positive integer, got ${r.totalSteps}`);
  check(Number.isFinite(r.lr) && r.lr > 0, `lr must be > 0, got ${r.lr}`);
  check(Number.isFinite(r.lrMin) && r.lrMin >= 0 && r.lrMin <= r.lr, `lrMin must be in [0, lr], got ${r.lrMin}`);
  check(Number.isInteger(r.warmupSteps) && r.warmupSteps >= 0, `warmupSteps must be an integer >= 0, got ${r.warmupSteps}`);
  check(r.gradClipNorm === null || (Number.isFinite(r.gradClipNorm) && r.gradClipNorm > 0), `gradClipNorm must be null or > 0, got ${r.gradClipNorm}`);
  check(r.momentum >= 0 && r.momentum < 1, `momentum must be in [0, 1), got ${r.momentum}`);
  check(Number.isFinite(r.weightDecay) && r.weightDecay >= 0, `weightDecay must be >= 0, got ${r.weightDecay}`);
  check(typeof r.decayDepthwise === 'boolean', 'decayDepthwise must be a boolean');
  check(r.labelSmoothing >= 0 && r.labelSmoothing < 1, `labelSmoothing must be in [0, 1), got ${r.labelSmoothing}`);
  check(r.bnMomentum > 0 && r.bnMomentum <= 1, `bnMomentum must be in (0, 1], got ${r.bnMomentum}`);
  check(r.dropout === null || (r.dropout >= 0 && r.dropout < 1), `dropout must be null or in [0, 1), got ${r.dropout}`);
  check(typeof r.zeroInitResidual === 'boolean', 'zeroInitResidual must be a boolean');
  check(Number.isFinite(r.gains?.relu) && r.gains.relu > 0 && Number.isFinite(r.gains?.linear) && r.gains.linear > 0, 'gains must be > 0');
  return r;
}

/** DEFAULT_RETRAIN under the given fields; validated. */
export function resolveRetrainRecipe(o: Pick<RetrainRecipe, 'space' | 'config' | 'arch'> & Partial<RetrainRecipe>): RetrainRecipe {
  return validateRetrainRecipe({ ...DEFAULT_RETRAIN, ...o, gains: { ...DEFAULT_GAINS, ...o.gains } });
}
