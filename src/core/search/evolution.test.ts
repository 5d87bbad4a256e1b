import { describe, expect, it } from 'vitest';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { createRng } from '../rng.ts';
import { archCost, defaultConfig, getSpace, resolveSpace, SPACE_IDS } from '../space/index.ts';
import type { Arch, ResolvedSpace } from '../space/types.ts';
import { costTable, tableCost } from './costTable.ts';
import { evolutionSearch } from './evolution.ts';
import { bestArch, fitness } from './score.ts';

const space = getSpace('bnnas-mbv2');
const config = defaultConfig(space);
const rs = resolveSpace(space, config);

/** Random seeded indicator table for a resolved space (scores in (0.2, 1.2)). */
function randomTable(r: ResolvedSpace, seed: number): IndicatorTable {
  const rng = createRng(seed);
  return { layers: r.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 0.2 + rng.uniform()) })) };
}

// A table with a known optimum under a MAC limit (bnnas rule, so terms are the scores):
// T (no identity) scores 2 in every layer, every other choice 1 (identity 0), except that in
// layer 7 the most expensive choice (5 = k7e6) scores 2.5. U = T with layer 7 set to 5 is the
// unconstrained optimum (fitness 42.5); every other arch is at least 0.5 below T (42). With the
// limit cost(T) < cost(U), T is the unique optimum under the limit.
const T: Arch = [3, 1, 0, 4, 0, 1, 1, 0, 4, 1, 4, 4, 1, 4, 2, 0, 0, 4, 0, 2, 2];
const U: Arch = T.map((c, l) => (l === 7 ? 5 : c));
const KNOWN: IndicatorTable = {
  layers: rs.layers.map((l) => ({
    layerIdx: l.layerIdx,
    normal: l.normal,
    choices: [...l.choices],
    scores: l.choices.map((c) => (c === T[l.layerIdx] ? 2 : l.layerIdx === 7 && c === 5 ? 2.5 : 1)),
  })),
};
const costT = archCost(space, config, T).reference;

describe('costTable', () => {
  it.each(SPACE_IDS)('%s: equals archCost (config and reference) on random architectures', (id) => {
    const sp = getSpace(id);
    const cfg = { resolution: 40, widthMult: id === 'spos-shufflenetv2' ? 0.5 : 0.35, numClasses: 10, identity: true };
    const r = resolveSpace(sp, cfg);
    const here = costTable(r);
    const ref = costTable(resolveSpace(sp, { ...cfg, resolution: 224, numClasses: 1000 }));
    const rng = createRng(3);
    for (let i = 0; i < 20; i++) {
      const arch = r.layers.map((l) => l.choices[rng.int(l.choices.length)]);
      const c = archCost(sp, cfg, arch);
      expect(tableCost(here, arch)).toEqual({ macs: c.macs, params: c.params });
      expect(tableCost(ref, arch)).toEqual(c.reference);
    }
  });
});

describe('evolutionSearch', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const table = randomTable(rs, 1);
    const run = (seed: number) => evolutionSearch({ space, config, table, rule: 'dirf', limits: { maxMacs: 475e6 }, seed });
    const a = run(5);
    expect(run(5)).toEqual(a);
    expect(run(6).top.map((c) => c.arch)).not.toEqual(a.top.map((c) => c.arch));
  });

  it('uses docs/method.md values: 20 generations of at most 50, a top-50 list sorted best first, consistent entries', () => {
    const table = randomTable(rs, 2);
    const r = evolutionSearch({ space, config, table, rule: 'dirf', limits: { maxMacs: 475e6 }, seed: 0 });
    expect(r.history).toHaveLength(20);
    expect(r.top).toHaveLength(50);
    for (const h of r.history) expect(h.evaluated).toBeLessThanOrEqual(50);
    expect(r.history[0].evaluated).toBe(50);
    expect(r.evaluated).toBe(r.history.reduce((s, h) => s + h.evaluated, 0));
    for (let i = 1; i < r.top.length; i++) expect(r.top[i - 1].fitness).toBeGreaterThanOrEqual(r.top[i].fitness);
    expect(new Set(r.top.map((c) => c.arch.join(','))).size).toBe(50);
    for (const c of [...r.top, ...r.pareto]) {
      const cost = archCost(space, config, c.arch).reference;
      expect({ macs: c.macs, params: c.params }).toEqual(cost);
      expect(c.fitness).toBeCloseTo(fitness(table, 'dirf', c.arch), 12);
    }
    // the best never gets worse, and evolution beats the random initial population
    for (let g = 1; g < 20; g++) expect(r.history[g].best!).toBeGreaterThanOrEqual(r.history[g - 1].best!);
    expect(r.history[19].best!).toBeGreaterThan(r.history[0].best!);
    expect(r.history[19].topFitness).toEqual(r.top.map((c) => c.fitness));
    // the Pareto front is non-dominated and ends at the best candidate
    for (let i = 1; i < r.pareto.length; i++) {
      expect(r.pareto[i].macs).toBeGreaterThan(r.pareto[i - 1].macs);
      expect(r.pareto[i].fitness).toBeGreaterThan(r.pareto[i - 1].fitness);
    }
    expect(r.pareto.at(-1)!.fitness).toBe(r.top[0].fitness);
  });

  it('never returns a candidate over a limit (MACs and params)', () => {
    const table = randomTable(rs, 3);
    const maxMacs = 475e6;
    const maxParams = 5e6;
    const r = evolutionSearch({ space, config, table, rule: 'bnnas', limits: { maxMacs, maxParams }, seed: 1 });
    expect(r.top.length).toBeGreaterThan(0);
    for (const c of [...r.top, ...r.pareto]) {
      expect(c.macs).toBeLessThanOrEqual(maxMacs);
      expect(c.params).toBeLessThanOrEqual(maxParams);
    }
    expect(r.history.reduce((s, h) => s + h.rejected, 0)).toBeGreaterThan(0);
  });

  it('finds the known optimum under a limit; without the limit it finds the (excluded) unconstrained optimum', () => {
    const uCost = archCost(space, config, U).reference;
    expect(uCost.macs).toBeGreaterThan(costT.macs);
    expect(bestArch(KNOWN, 'bnnas')).toEqual(U);
    // more generations than the default, so that the test does not depend on a lucky seed
    const options = { generations: 100 };
    for (const seed of [0, 1, 2]) {
      const limited = evolutionSearch({ space, config, table: KNOWN, rule: 'bnnas', limits: { maxMacs: costT.macs }, seed, options });
      expect(limited.top[0].arch).toEqual(T);
      expect(limited.top[0].fitness).toBe(42);
      expect(limited.top.some((c) => c.arch.join() === U.join())).toBe(false);
      for (const c of limited.top) expect(c.macs).toBeLessThanOrEqual(costT.macs);
      const free = evolutionSearch({ space, config, table: KNOWN, rule: 'bnnas', seed, options });
      expect(free.top[0].arch).toEqual(U);
    }
  });

  it('the limits apply to the reference cost at the configured width, not to the training resolution', () => {
    const small = { resolution: 32, widthMult: 1, numClasses: 10, identity: true };
    const r = evolutionSearch({ space, config: small, table: KNOWN, rule: 'bnnas', limits: { maxMacs: costT.macs }, seed: 0, options: { generations: 100 } });
    expect(r.top[0].arch).toEqual(T);
    expect(r.top[0].macs).toBe(costT.macs);
  });

  it('returns nothing (and says so in the history) when every candidate is over the limit', () => {
    const r = evolutionSearch({ space, config, table: KNOWN, rule: 'bnnas', limits: { maxMacs: 1e6 }, seed: 0, options: { generations: 2 } });
    expect(r.top).toEqual([]);
    expect(r.pareto).toEqual([]);
    expect(r.history.map((h) => [h.evaluated, h.best, h.mean])).toEqual([[0, null, null], [0, null, null]]);
  });

  it('refuses bad options, limits and tables', () => {
    const table = randomTable(rs, 1);
    expect(() => evolutionSearch({ space, config, table, rule: 'dirf', seed: 0, options: { numParents: 0 } })).toThrow(/numParents must be an integer >= 1/);
    expect(() => evolutionSearch({ space, config, table, rule: 'dirf', seed: 0, limits: { maxMacs: -1 } })).toThrow(/maxMacs must be a number > 0/);
    expect(() => evolutionSearch({ space, config: { ...config, identity: false }, table, rule: 'dirf', seed: 0 })).toThrow(/indicator table: layer 1/);
  });
});

describe('argmax seed', () => {
  it('the per-layer argmax joins generation 0 when within the limits, so the search never ends below it', () => {
    for (const seed of [0, 1, 2]) {
      const table = randomTable(rs, 10 + seed);
      for (const rule of ['dirf', 'bnnas'] as const) {
        const best = bestArch(table, rule);
        const limit = archCost(space, config, best).reference.macs;
        const seeded = evolutionSearch({ space, config, table, rule, limits: { maxMacs: limit }, seed, options: { generations: 1 } });
        expect(seeded.top[0].arch).toEqual(best);
        expect(seeded.top[0].fitness).toBeCloseTo(fitness(table, rule, best), 12);
        expect(seeded.history[0].evaluated).toBe(50);
        const full = evolutionSearch({ space, config, table, rule, limits: { maxMacs: limit }, seed });
        expect(full.top[0].fitness).toBeGreaterThanOrEqual(fitness(table, rule, best));
        // without the seed, one random generation of a 21-layer space does not find the argmax
        const unseeded = evolutionSearch({ space, config, table, rule, limits: { maxMacs: limit }, seed, options: { generations: 1, seedArgmax: false } });
        expect(unseeded.top[0].fitness).toBeLessThan(fitness(table, rule, best));
      }
    }
  });

  it('an argmax over a limit is not seeded (and never returned)', () => {
    const best = bestArch(KNOWN, 'bnnas');
    expect(best).toEqual(U);
    const r = evolutionSearch({ space, config, table: KNOWN, rule: 'bnnas', limits: { maxMacs: costT.macs }, seed: 0, options: { generations: 1 } });
    expect(r.top.some((c) => c.arch.join() === U.join())).toBe(false);
    expect(r.history[0].rejected).toBeGreaterThan(0);
  });

  it('refuses a non-boolean seedArgmax', () => {
    const table = randomTable(rs, 1);
    expect(() => evolutionSearch({ space, config, table, rule: 'dirf', seed: 0, options: { seedArgmax: 1 as unknown as boolean } })).toThrow(/seedArgmax must be a boolean/);
  });
});
