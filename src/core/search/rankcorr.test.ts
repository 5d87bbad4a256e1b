import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { averageRanks, kendallTauB, pearson, spearmanRho } from './rankcorr.ts';

// Computed independently with scipy 1.10.1:
//   scipy.stats.kendalltau(x, y, variant='b').statistic, scipy.stats.spearmanr(x, y).statistic
const SCIPY = [
  { x: [1, 2, 3, 4, 5], y: [5, 6, 7, 8, 7], tau: 0.7378647873726218, rho: 0.8207826816681233 },
  { x: [12, 2, 1, 12, 2], y: [1, 4, 7, 1, 0], tau: -0.4714045207910316, rho: -0.5407380704358752 },
  { x: [0.3, 0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.1], y: [0.41, 0.33, 0.75, 0.52, 0.6, 0.33, 0.71, 0.4], tau: 0.8680790595108567, rho: 0.9394111922831736 },
  {
    x: [0.095, 1.25, -0.931, 0.992, -0.259, -0.262, 1.9, 0.158, -0.043, 0.729, 1.127, -0.031, 0.588, -0.974, -0.367, -0.438, -1.332, -1.509, -1.627, -0.239],
    y: [-0.125, 0.305, -0.396, -0.84, -0.209, 0.107, 1.701, -0.767, -0.421, -1.651, 0.06, -2.212, -1.125, 0.615, -2.385, 0.58, -0.338, -1.067, -0.354, 0.408],
    tau: 0.021052631578947368,
    rho: 0.04060150375939849,
  },
  { x: [3, 2, 3, 4, 3, 4, 2, 4, 4, 3, 4, 1, 2, 0, 2], y: [1, 2, 0, 1, 2, 2, 0, 0, 3, 3, 0, 2, 0, 3, 1], tau: -0.1325301204819277, rho: -0.14779297857198195 },
  { x: [1, 2, 3, 4], y: [4, 3, 2, 1], tau: -1, rho: -1 },
];

/** Brute-force tau-b from its definition over all ordered pairs, written independently of the implementation. */
function bruteTauB(x: number[], y: number[]): number {
  let s = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < x.length; j++) {
      const a = Math.sign(x[i] - x[j]);
      const b = Math.sign(y[i] - y[j]);
      s += a * b;
      tx += a * a;
      ty += b * b;
    }
  }
  return s / Math.sqrt(tx * ty);
}

/** Spearman without ties: 1 - 6 sum d^2 / (n (n^2 - 1)). */
function classicRho(x: number[], y: number[]): number {
  const rank = (v: number[]) => v.map((a) => v.filter((b) => b < a).length + 1);
  const rx = rank(x);
  const ry = rank(y);
  const n = x.length;
  const d2 = rx.reduce((s, r, i) => s + (r - ry[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('rank correlation', () => {
  it.each(SCIPY.map((c, i) => [i, c] as const))('case %i matches scipy (tau-b, spearman with average ranks)', (_, c) => {
    expect(kendallTauB(c.x, c.y)).toBeCloseTo(c.tau, 12);
    expect(spearmanRho(c.x, c.y)).toBeCloseTo(c.rho, 12);
  });

  it('matches brute-force definitions on random data, with and without ties', () => {
    const rng = createRng(4);
    for (let t = 0; t < 30; t++) {
      const n = 3 + rng.int(20);
      const tied = t % 2 === 0;
      const x = Array.from({ length: n }, () => (tied ? rng.int(4) : rng.normal()));
      const y = x.map((v) => (tied ? rng.int(3) + (v > 1 ? 1 : 0) : v + rng.normal()));
      const brute = bruteTauB(x, y);
      if (Number.isNaN(brute)) expect(kendallTauB(x, y)).toBeNaN();
      else expect(kendallTauB(x, y)).toBeCloseTo(brute, 12);
      if (!tied) expect(spearmanRho(x, y)).toBeCloseTo(classicRho(x, y), 12);
    }
  });

  it('average ranks share the mean position of a tie', () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('is +1 / -1 for monotone data, invariant under monotone transforms, NaN when undefined', () => {
    const x = [0.1, 0.5, 0.2, 0.9, 0.3];
    const up = x.map((v) => Math.exp(5 * v));
    expect(kendallTauB(x, up)).toBe(1);
    expect(spearmanRho(x, up)).toBeCloseTo(1, 14);
    expect(kendallTauB(x, up.map((v) => -v))).toBe(-1);
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearmanRho([1, 2, 3], [4, 4, 4])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(() => kendallTauB([1, 2], [1])).toThrow(/2 values against 1/);
    expect(() => spearmanRho([1, NaN], [1, 2])).toThrow(/finite/);
  });
});
