import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import type { ResolvedLayer } from '../space/types.ts';
import { pathsPerStep, samplePaths } from './sampler.ts';

function layer(layerIdx: number, choices: number[]): ResolvedLayer {
  return { layerIdx, cin: 8, cout: 8, stride: 1, normal: choices.includes(-1), choices, inputSize: 8 };
}
// A mix like bnnas-mbv2 with identity: reduction layers offer 6 choices, normal layers 7.
const layers = [layer(0, [0, 1, 2, 3, 4, 5]), layer(1, [-1, 0, 1, 2, 3, 4, 5]), layer(2, [-1, 0, 1, 2, 3, 4, 5]), layer(3, [0, 1, 2, 3, 4, 5])];

describe('fair sampler (FairNAS strict fairness)', () => {
  it('uses every candidate of every layer with m candidates exactly once per step', () => {
    const rng = createRng(7);
    expect(pathsPerStep(layers, 'fair')).toBe(7);
    for (let step = 0; step < 50; step++) {
      const paths = samplePaths(layers, 'fair', rng);
      expect(paths).toHaveLength(7);
      for (const l of layers) {
        const used = paths.map((p) => p[l.layerIdx]);
        if (l.choices.length === 7) expect([...used].sort((a, b) => a - b)).toEqual(l.choices);
        else {
          // fewer candidates: a full permutation, then one refill draw from a fresh permutation
          expect([...new Set(used)].sort((a, b) => a - b)).toEqual(l.choices);
          for (const u of used) expect(l.choices).toContain(u);
        }
      }
    }
  });

  it('is deterministic for a seed and varies between steps', () => {
    const a = createRng(3);
    const b = createRng(3);
    const s1 = samplePaths(layers, 'fair', a);
    expect(samplePaths(layers, 'fair', b)).toEqual(s1);
    expect(samplePaths(layers, 'fair', a)).not.toEqual(s1);
  });
});

describe('uniform sampler (SPOS)', () => {
  it('draws one path per step, each choice roughly equally often', () => {
    const rng = createRng(11);
    expect(pathsPerStep(layers, 'uniform')).toBe(1);
    const counts = new Map<number, number>();
    const n = 7000;
    for (let i = 0; i < n; i++) {
      const paths = samplePaths(layers, 'uniform', rng);
      expect(paths).toHaveLength(1);
      const c = paths[0][1];
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(layers[1].choices);
    for (const v of counts.values()) expect(Math.abs(v - n / 7)).toBeLessThan(0.15 * (n / 7));
  });
});
