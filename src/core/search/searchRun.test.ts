// runSearch's rules with the indicator fitness (no tensors): input errors before any work, the
// stop before a candidate / between generations, the complete search after its last generation,
// awaited onGeneration, and candidates reported with their reference cost.
import { describe, expect, it } from 'vitest';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { createRng } from '../rng.ts';
import { defaultConfig, getSpace, resolveSpace } from '../space/index.ts';
import { archCost, referenceConfig } from '../space/cost.ts';
import { costTable } from './costTable.ts';
import { evolutionSearch, type SearchInput } from './evolution.ts';
import { checkRunSearchInput, runSearch, type ScoredCandidate } from './searchRun.ts';

const space = getSpace('bnnas-mbv2');
const config = defaultConfig(space);
const rs = resolveSpace(space, config);

function randomTable(seed: number): IndicatorTable {
  const rng = createRng(seed);
  return { layers: rs.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 0.2 + rng.uniform()) })) };
}

const table = randomTable(4);
const options = { populationSize: 8, numParents: 2, numMutation: 4, numCrossover: 4, generations: 5, topK: 8 };
const input: SearchInput = { space, config, table, rule: 'dirf', seed: 9, options };
/** The same search cut to its first `n` generations (the engine's draws do not depend on the total). */
const firstGenerations = (n: number) => evolutionSearch({ ...input, options: { ...options, generations: n } });
const core = (r: { top: unknown; history: unknown; pareto: unknown; evaluated: number }) => ({ top: r.top, history: r.history, pareto: r.pareto, evaluated: r.evaluated });

describe('runSearch (indicator fitness)', () => {
  it('reports every scored candidate with its reference cost, in order', async () => {
    const seen: ScoredCandidate[] = [];
    const r = await runSearch({ ...input, onCandidate: (c) => seen.push(c) });
    expect(r.stopped).toBe(false);
    expect(seen.map((c) => c.index)).toEqual([...seen.keys()]);
    expect(seen).toHaveLength(r.evaluated);
    for (const c of seen.slice(0, 5)) expect({ macs: c.macs, params: c.params }).toEqual(archCost(space, config, c.arch).reference);
  });

  it('stopped during generation g: stopped, with the search as of generation g - 1', async () => {
    const gen2 = firstGenerations(2);
    let scored = 0;
    // the first candidate of generation 2 asks for the stop: it is the last one scored
    const r = await runSearch({ ...input, shouldStop: () => scored > gen2.evaluated, onCandidate: () => void scored++ });
    expect(r.stopped).toBe(true);
    expect(core(r)).toEqual(core(gen2));
    expect(r.history).toHaveLength(2);
    expect(scored).toBe(gen2.evaluated + 1);
  });

  it('stopped in onGeneration of generation g (awaited): stopped before generation g + 1 scores anything', async () => {
    const ctl = new AbortController();
    const order: string[] = [];
    const r = await runSearch({
      ...input,
      signal: ctl.signal,
      onCandidate: () => order.push('candidate'),
      onGeneration: async (s) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        order.push(`generation ${s.generation}`);
        if (s.generation === 1) ctl.abort();
      },
    });
    expect(r.stopped).toBe(true);
    expect(core(r)).toEqual(core(firstGenerations(2)));
    expect(order.at(-1)).toBe('generation 1'); // no candidate after the stop
    expect(order.filter((o) => o === 'candidate')).toHaveLength(r.evaluated);
  });

  it('a stop after the last generation is whole changes nothing: the complete result, not stopped', async () => {
    let stop = false;
    const r = await runSearch({ ...input, shouldStop: () => stop, onGeneration: (s) => void (stop = s.generation === options.generations - 1) });
    expect(stop).toBe(true);
    expect(r.stopped).toBe(false);
    expect(core(r)).toEqual(core(evolutionSearch(input)));
  });

  it('stops even when generations score nothing (every draw over the limit)', async () => {
    // a MAC limit that only the cheapest path meets (cost is additive over layers: the per-layer cheapest choice)
    const ref = costTable(resolveSpace(space, referenceConfig(config)));
    const limit = ref.base.macs + ref.layers.reduce((s, m) => s + Math.min(...[...m.values()].map((c) => c.macs)), 0);
    let gens = 0;
    const r = await runSearch({ ...input, options: { ...options, generations: 1000, maxRandomTriesFactor: 1, maxTriesFactor: 1 }, limits: { maxMacs: limit }, shouldStop: () => gens >= 3, onGeneration: () => void gens++ });
    expect(r.stopped).toBe(true);
    expect(r.history).toHaveLength(3);
    expect(r.evaluated).toBeLessThanOrEqual(1);
  });

  it('answers input errors before any work (the accuracy scorer is never touched)', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('touched'); } }) as never;
    const accuracy = { supernet: untouchable, source: untouchable };
    const bad = { ...input, fitness: 'accuracy' as const, accuracy, options: { ...options, generations: 0 } };
    await expect(runSearch(bad)).rejects.toThrow(/evolution: generations must be an integer >= 1/);
    expect(() => checkRunSearchInput(bad)).toThrow(/evolution: generations must be an integer >= 1/);
    const wrongTable = { ...input, table: { layers: table.layers.slice(1) } };
    await expect(runSearch(wrongTable)).rejects.toThrow(/table/);
    expect(() => checkRunSearchInput(wrongTable)).toThrow(/table/);
    const zero = structuredClone(table);
    zero.layers[2].scores[1] = 0;
    await expect(runSearch({ ...input, table: zero })).rejects.toThrow(/dirf: layer 2/);
    expect(() => checkRunSearchInput({ ...input, limits: { maxMacs: -1 } })).toThrow(/limits.maxMacs must be a number > 0/);
    expect(() => checkRunSearchInput({ ...input, fitness: 'accuracy' })).toThrow(/needs a supernet and data/);
    expect(() => checkRunSearchInput({ ...input, fitness: 'speed' as never })).toThrow(/fitness must be one of indicator, accuracy/);
    expect(() => checkRunSearchInput(input)).not.toThrow();
  });
});
