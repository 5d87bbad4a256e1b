// Weight initialisers for the frozen supernet. Frozen weights are a pure function of
// (shape, init, rng stream, gain): callers pass deriveRng(seed, 'weights', ...) per tensor.

import type { Rng } from '../rng.ts';
import { deltaOrthogonalInit } from './deltaOrthogonal.ts';
import { heNormalInit } from './heNormal.ts';
import { orthogonalInit } from './orthogonal.ts';
import { validateShape, weightCount, type WeightShape } from './shape.ts';

export type { WeightShape } from './shape.ts';
export { weightCount } from './shape.ts';

export type InitName = 'orthogonal' | 'he-normal' | 'delta-orthogonal';
export const INIT_NAMES: InitName[] = ['orthogonal', 'he-normal', 'delta-orthogonal'];

/** Gain for a weight followed by ReLU/ReLU6 vs. by nothing (projection convs, classifier). */
export interface InitGains {
  relu: number;
  linear: number;
}

/**
 * relu: sqrt(2), the He / Saxe et al. gain that compensates ReLU halving the second moment, so a
 * conv + ReLU pair keeps mean squared singular value near 1. linear: 1, an exact isometry for
 * weights with no nonlinearity after them. BN follows every conv, so the forward scale is reset
 * anyway; the gain matters for the Jacobian spectrum, which the isometry lens measures.
 */
export const DEFAULT_GAINS: InitGains = { relu: Math.SQRT2, linear: 1 };

/**
 * Weights for `shape` in its tfjs layout (row-major Float32Array of weightCount(shape) entries).
 * `gain` must be a finite positive number; it scales orthogonal and delta-orthogonal weights and is
 * ignored by he-normal (whose std is fixed by its PyTorch formula).
 */
export function initWeight(init: InitName, shape: WeightShape, rng: Rng, gain: number): Float32Array {
  validateShape(shape);
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain <= 0) {
    throw new Error(`init: gain must be a finite positive number, got ${String(gain)}`);
  }
  switch (init) {
    case 'orthogonal':
      return orthogonalInit(shape, rng, gain);
    case 'he-normal':
      return heNormalInit(shape, rng, weightCount(shape));
    case 'delta-orthogonal':
      return deltaOrthogonalInit(shape, rng, gain);
    default: {
      const never: never = init;
      throw new Error(`init: unknown initialiser ${String(never)} (expected one of ${INIT_NAMES.join(', ')})`);
    }
  }
}
