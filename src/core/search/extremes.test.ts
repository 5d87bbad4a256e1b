import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import type { Arch } from '../space/types.ts';
import { countArchs, selectExtremes } from './extremes.ts';
import type { LayerTerms } from './score.ts';

/** Random additive terms: `sizes[l]` choices on layer l (choice -1 first when `identity`). */
function randomTerms(sizes: number[], seed: number, identity = false): LayerTerms {
  const rng = createRng(seed);
  return sizes.map((n, l) => {
    const m = new Map<number, number>();
    const ids = identity && l % 2 === 1 ? [-1, ...Array.from({ length: n - 1 }, (_, i) => i)] : Array.from({ length: n }, (_, i) => i);
    for (const c of ids) m.set(c, rng.normal());
    return m;
  });
}

/** Every architecture with its fitness, by brute force (independent of the prefix merge). */
function enumerate(terms: LayerTerms): Array<{ arch: Arch; f: number }> {
  let all: Array<{ arch: Arch; f: number }> = [{ arch: [], f: 0 }];
  for (const layer of terms) all = all.flatMap((p) => [...layer].map(([c, t]) => ({ arch: [...p.arch, c], f: p.f + t })));
  return all;
}

describe('selectExtremes: the indicator top / bottom and random others', () => {
  it('top and bottom are exactly the k best and worst of a brute-force enumeration', () => {
    for (const [sizes, seed] of [[[3, 4], 1], [[5, 5, 5, 5], 2], [[2, 7, 3, 6, 4], 3], [[6, 6, 6, 6, 6, 6], 4]] as const) {
      const terms = randomTerms([...sizes], seed, true);
      const all = enumerate(terms).sort((a, b) => b.f - a.f);
      const picks = selectExtremes(terms, { top: 3, bottom: 4, random: 2 }, createRng(seed));
      const top = picks.filter((p) => p.group === 'top');
      const bottom = picks.filter((p) => p.group === 'bottom');
      expect(top.map((p) => p.arch)).toEqual(all.slice(0, 3).map((p) => p.arch));
      expect(bottom.map((p) => p.arch)).toEqual(all.slice(-4).reverse().map((p) => p.arch));
      for (const p of picks) expect(p.fitness).toBeCloseTo(all.find((q) => q.arch.join() === p.arch.join())!.f, 12);
    }
  });

  it('all picks are distinct; random picks avoid the extremes and cover the rest uniformly', () => {
    const terms = randomTerms([3, 4], 7, true); // the demo's shape: 12 architectures
    expect(countArchs(terms)).toBe(12);
    const rng = createRng(11);
    const counts = new Map<string, number>();
    const draws = 3000;
    let extremes: string[] = [];
    for (let t = 0; t < draws; t++) {
      const picks = selectExtremes(terms, { top: 3, bottom: 3, random: 3 }, rng);
      const keys = picks.map((p) => p.arch.join());
      expect(new Set(keys).size).toBe(9);
      extremes = picks.filter((p) => p.group !== 'random').map((p) => p.arch.join());
      for (const p of picks) if (p.group === 'random') counts.set(p.arch.join(), (counts.get(p.arch.join()) ?? 0) + 1);
    }
    for (const k of extremes) expect(counts.has(k)).toBe(false);
    // 6 remaining architectures, 3 drawn each time: each expected 1500 times (binomial sd ~27).
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - draws / 2)).toBeLessThan(150);
  });

  it('bottom never repeats a top pick when the space is small', () => {
    const terms = randomTerms([2, 2], 5);
    const picks = selectExtremes(terms, { top: 2, bottom: 2, random: 0 }, createRng(0));
    expect(new Set(picks.map((p) => p.arch.join())).size).toBe(4);
  });

  it('large spaces: rejection-sampled random picks are distinct and outside the extremes', () => {
    const terms = randomTerms(Array.from({ length: 12 }, () => 5), 9); // 5^12 architectures
    const picks = selectExtremes(terms, { top: 3, bottom: 3, random: 20 }, createRng(1));
    expect(new Set(picks.map((p) => p.arch.join())).size).toBe(26);
  });

  it('refuses more picks than the space holds and bad counts, naming them', () => {
    const terms = randomTerms([3, 4], 1);
    expect(() => selectExtremes(terms, { top: 5, bottom: 5, random: 3 }, createRng(0))).toThrow(/asked for 13 .* the space has 12/);
    expect(() => selectExtremes(terms, { top: -1, bottom: 0, random: 0 }, createRng(0))).toThrow(/top must be an integer >= 0/);
  });
});
