import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorTable } from '../core/model/indicatorTable.ts';
import { createRng } from '../core/rng.ts';
import { costTable, evolutionSearch, importSubnet, SCORE_RULES } from '../core/search/index.ts';
import { archCost, getSpace, referenceConfig, resolveSpace } from '../core/space/index.ts';
import type { SpaceConfig } from '../core/space/types.ts';
import { syntheticTensors, testRecipe } from '../core/testing/fixtures.ts';
import { useCpuBackend } from '../core/testing/tfCpu.ts';
import { Trainer } from '../core/train/trainer.ts';
import { EXPORT_FORMATS, SCORE_RULE_NAMES, type EngineEvent, type RunSummary, type SearchCommand, type SearchGenerationEvent, type SearchResultEvent, type StoredSearch } from './protocol/index.ts';
import { evolutionOptions, exportFilename, SearchService, type SearchableSession } from './search.ts';
import { readIndicators } from '../core/model/indicators.ts';

beforeAll(useCpuBackend);

const SPACE = getSpace('bnnas-mbv2');
const CONFIG: SpaceConfig = { resolution: 32, widthMult: 0.25, numClasses: 10, identity: true };
const RS = resolveSpace(SPACE, CONFIG);

/** Seeded random table with scores in (0.2, 1.2), independent of the search's stream. */
function randomTable(seed: number): IndicatorTable {
  const rng = createRng(seed);
  return { layers: RS.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 0.2 + rng.uniform()) })) };
}

/** A session stand-in: a fixed table, counting its reads. */
function fakeSession(table: IndicatorTable, steps = 5) {
  const s = {
    steps,
    reads: 0,
    trainer: {
      recipe: { space: 'bnnas-mbv2' as const, config: CONFIG, seed: 7, init: 'orthogonal' as const },
    },
    indicators: async () => {
      s.reads++;
      return structuredClone(table);
    },
  };
  return s;
}

function recorder() {
  const events: EngineEvent[] = [];
  let t = 0;
  // a fake clock: 80 ms per reading, so throttling (250 ms) drops some generation events
  const svc = new SearchService((ev) => events.push(ev), { now: () => (t += 80) });
  const wait = async (type: EngineEvent['type']) => {
    while (!events.some((e) => e.type === type)) await new Promise((r) => setTimeout(r, 1));
    return events.find((e) => e.type === type)!;
  };
  return { events, svc, wait };
}

const cmd = (o: Partial<SearchCommand> = {}): SearchCommand => ({ type: 'search', id: 11, rule: 'dirf', maxMacs: null, maxParams: null, seed: 3, ...o });

describe('protocol lists', () => {
  it('score rules equal the core list', () => {
    expect([...SCORE_RULE_NAMES]).toEqual([...SCORE_RULES]);
    expect([...EXPORT_FORMATS]).toEqual(['json', 'timm']);
  });
});

describe('SearchService.search', () => {
  const table = randomTable(1);
  // a MAC limit that binds: the midpoint of the smallest and the largest path at the reference
  // (cost is additive over layers, so the extreme paths are the per-layer extremes)
  const ref = costTable(resolveSpace(SPACE, referenceConfig(CONFIG)));
  const extreme = (pick: (...v: number[]) => number) => ref.base.macs + ref.layers.reduce((s, m) => s + pick(...[...m.values()].map((c) => c.macs)), 0);
  const limit = Math.round((extreme(Math.min) + extreme(Math.max)) / 2);

  it('streams generations and ends with the same result as evolutionSearch', async () => {
    const { events, svc, wait } = recorder();
    const session = fakeSession(table);
    await svc.start(cmd({ rule: 'dirf', maxMacs: limit, populationSize: 12, generations: 6 }), session);
    expect(svc.running).toBe(true);
    const res = (await wait('searchResult')) as SearchResultEvent;
    await svc.settled();
    expect(svc.running).toBe(false);

    const want = evolutionSearch({ space: SPACE, config: CONFIG, table, rule: 'dirf', limits: { maxMacs: limit }, seed: 3, options: evolutionOptions({ populationSize: 12, generations: 6 }) });
    expect(res).toMatchObject({ id: 11, stopped: false, space: 'bnnas-mbv2', widthMult: 0.25, rule: 'dirf', seed: 3, maxMacs: limit, maxParams: null, populationSize: 12, generations: 6, tableStep: 5 });
    expect(res.top).toEqual(want.top.map((c) => ({ arch: c.arch, fitness: c.fitness, macs: c.macs, params: c.params })));
    expect(res.pareto.map((c) => c.arch)).toEqual(want.pareto.map((c) => c.arch));
    expect(res.history.map((h) => h.best)).toEqual(want.history.map((h) => h.best));
    expect(res.evaluated).toBe(want.evaluated);
    expect(res.top.length).toBeGreaterThan(0);
    for (const c of res.top) expect(c.macs).toBeLessThanOrEqual(limit);

    // every scored candidate reaches the chart once, in throttled events ending at the last generation
    const gens = events.filter((e): e is SearchGenerationEvent => e.type === 'searchGeneration');
    expect(gens.length).toBeGreaterThan(0);
    expect(gens.length).toBeLessThan(6);
    expect(gens.at(-1)!.generation).toBe(5);
    expect(gens.every((g) => g.id === 11 && g.generations === 6)).toBe(true);
    expect(gens.reduce((n, g) => n + g.macs.length, 0)).toBe(want.evaluated);
    const pts = gens.flatMap((g) => Array.from(g.macs, (m, i) => ({ m, f: g.fitness[i] })));
    for (const p of pts) expect(p.m).toBeLessThanOrEqual(limit);
    expect(Math.max(...pts.map((p) => p.f))).toBe(res.top[0].fitness);
    expect(events.indexOf(res)).toBe(events.length - 1);

    // the argmax subnet and whether it fits
    const argCost = archCost(SPACE, CONFIG, res.argmax.arch).reference;
    expect(res.argmax.macs).toBe(argCost.macs);
    expect(res.argmax.withinLimits).toBe(argCost.macs <= limit);
  });

  it('stops between generations and reports the search so far', async () => {
    const { events, svc } = recorder();
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    // nextTask waits for the test, so the stop lands after a known generation
    const held = new SearchService((ev) => events.push(ev), { now: () => 0, nextTask: () => gate });
    void svc;
    await held.start(cmd({ populationSize: 10, generations: 50 }), fakeSession(table));
    await new Promise((r) => setTimeout(r, 5));
    const stopping = held.stop({ type: 'searchStop', id: 12 });
    release();
    gate = Promise.resolve();
    await stopping;
    const res = events.find((e) => e.type === 'searchResult') as SearchResultEvent;
    expect(res.stopped).toBe(true);
    expect(res.history).toHaveLength(1);
    expect(res.top.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ type: 'searchStopped', id: 12, wasRunning: true });
    expect(held.running).toBe(false);
    await held.stop({ type: 'searchStop', id: 13 });
    expect(events.at(-1)).toEqual({ type: 'searchStopped', id: 13, wasRunning: false });
  });

  it('a stop that comes after the last generation leaves the complete result, not stopped', async () => {
    const events: EngineEvent[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let yields = 0;
    // the search yields after each of its 3 generations; the third yield waits for the test
    const held = new SearchService((ev) => events.push(ev), { now: () => 0, nextTask: () => (++yields === 3 ? gate : Promise.resolve()) });
    await held.start(cmd({ populationSize: 6, generations: 3 }), fakeSession(table));
    while (yields < 3) await new Promise((r) => setTimeout(r, 1));
    const stopping = held.stop({ type: 'searchStop', id: 12 });
    release();
    await stopping;
    const res = events.find((e) => e.type === 'searchResult') as SearchResultEvent;
    const want = evolutionSearch({ space: SPACE, config: CONFIG, table, rule: 'dirf', limits: {}, seed: 3, options: evolutionOptions({ populationSize: 6, generations: 3 }) });
    expect(res.stopped).toBe(false);
    expect(res.history).toHaveLength(3);
    expect(res.evaluated).toBe(want.evaluated);
    expect(res.top.map((c) => c.arch)).toEqual(want.top.map((c) => c.arch));
    expect(events.at(-1)).toEqual({ type: 'searchStopped', id: 12, wasRunning: true });
  });

  it('refuses bad input, a second search, and an untrained or missing session', async () => {
    const { svc } = recorder();
    await expect(svc.start(cmd(), null)).rejects.toThrow(/search: no supernet yet/);
    await expect(svc.start(cmd(), fakeSession(table, 0))).rejects.toThrow(/not been trained yet/);
    await expect(svc.start(cmd({ rule: 'best' as never }), fakeSession(table))).rejects.toThrow(/rule must be one of dirf, bnnas/);
    await expect(svc.start(cmd({ maxMacs: -1 }), fakeSession(table))).rejects.toThrow(/maxMacs must be null or a number > 0/);
    await expect(svc.start(cmd({ populationSize: 1 }), fakeSession(table))).rejects.toThrow(/populationSize must be an integer in 2\.\.1000/);
    await expect(svc.start(cmd({ generations: 0 }), fakeSession(table))).rejects.toThrow(/generations must be an integer in 1\.\.1000/);
    const zero = structuredClone(table);
    zero.layers[2].scores[1] = 0;
    await expect(svc.start(cmd({ rule: 'dirf' }), fakeSession(zero))).rejects.toThrow(/dirf: layer 2.*use --rule bnnas/);
    // core's input checks (runSearch's) answer before the search starts: a table that does not fit the space
    await expect(svc.start(cmd(), fakeSession({ layers: table.layers.slice(1) }))).rejects.toThrow(/table/);
    expect(svc.running).toBe(false);
    await svc.start(cmd({ generations: 200, populationSize: 4 }), fakeSession(table));
    await expect(svc.start(cmd(), fakeSession(table))).rejects.toThrow(/already running/);
    await svc.stop({ type: 'searchStop', id: 2 });
  });
});

describe('SearchService: the result is stored with the run', () => {
  it('stores the result before answering and says so with searchSaved; nothing without a live run; a failure is reported, the search not failed', async () => {
    const table = randomTable(5);
    const session = fakeSession(table);
    const saved: { session: SearchableSession; search: StoredSearch }[] = [];
    const run = { id: 'run-1', hasSearch: true } as RunSummary;
    let answer: () => Promise<RunSummary | null> = async () => run;
    const events: EngineEvent[] = [];
    const svc = new SearchService((ev) => events.push(ev), {
      save: (s, search) => {
        saved.push({ session: s, search: structuredClone(search) });
        return answer();
      },
    });
    const types = () => events.map((e) => e.type).filter((t) => t !== 'searchGeneration');

    await svc.start(cmd({ populationSize: 6, generations: 2 }), session);
    await svc.settled();
    const res = events.find((e) => e.type === 'searchResult') as SearchResultEvent;
    expect(types()).toEqual(['searchSaved', 'searchResult']);
    expect(events.find((e) => e.type === 'searchSaved')).toEqual({ type: 'searchSaved', id: 11, run });
    const { type: _t, id: _i, ...want } = res;
    expect(saved).toHaveLength(1);
    expect(saved[0].session).toBe(session);
    expect(saved[0].search).toEqual(want);

    // a stopped search is stored too (as stopped)
    events.length = 0;
    await svc.start(cmd({ populationSize: 6, generations: 500 }), session);
    await svc.stop({ type: 'searchStop', id: 12 });
    expect(types()).toEqual(['searchSaved', 'searchResult', 'searchStopped']);
    expect(saved[1].search.stopped).toBe(true);

    // the session has no live run any more: no searchSaved
    events.length = 0;
    answer = async () => null;
    await svc.start(cmd({ populationSize: 6, generations: 1 }), session);
    await svc.settled();
    expect(types()).toEqual(['searchResult']);

    // the store fails: said with searchSaved's problem, the result still answers
    events.length = 0;
    answer = async () => {
      throw new Error('quota exceeded');
    };
    await svc.start(cmd({ populationSize: 6, generations: 1 }), session);
    await svc.settled();
    expect(types()).toEqual(['searchSaved', 'searchResult']);
    expect(events[events.length - 2]).toEqual({ type: 'searchSaved', id: 11, run: null, problem: 'quota exceeded' });
  });
});

describe('SearchService.export', () => {
  it('exports the searched table as JSON that imports back, and a timm arch_def', async () => {
    const table = randomTable(2);
    const { events, svc, wait } = recorder();
    const session = fakeSession(table);
    await svc.start(cmd({ rule: 'bnnas', populationSize: 8, generations: 2 }), session);
    const res = (await wait('searchResult')) as SearchResultEvent;
    await svc.settled();
    const arch = res.top[0].arch;
    // the session's table moves on; the export keeps the searched one
    session.indicators = async () => randomTable(99);

    await svc.export({ type: 'export', id: 21, arch, format: 'json' }, session);
    const json = events.at(-1)!;
    expect(json).toMatchObject({ type: 'exported', id: 21, format: 'json', filename: exportFilename('bnnas-mbv2', arch, 'json') });
    const back = importSubnet((json as { text: string }).text, 'export');
    expect(back.choices).toEqual(arch);
    expect(back).toMatchObject({ space: 'bnnas-mbv2', config: CONFIG, seed: 7, init: 'orthogonal', fitness: { rule: 'bnnas', value: res.top[0].fitness } });
    expect(back.indicators).toEqual(table);
    expect(back.reference).toEqual({ macs: res.top[0].macs, params: res.top[0].params });

    await svc.export({ type: 'export', id: 22, arch, format: 'timm' }, session);
    const timm = JSON.parse((events.at(-1) as { text: string }).text) as { arch_def: string[][]; expected: { macs: number } };
    expect(timm.expected.macs).toBe(res.top[0].macs);
    expect(timm.arch_def.flat().every((b) => /^(ir|ds)_r1_k\d_s[12](_e\d)?_c\d+_nr6$/.test(b))).toBe(true);
    expect(exportFilename('bnnas-mbv2', [3, -1, 0], 'timm')).toBe('isonas-bnnas-mbv2-3i0.timm.json');
  });

  it('without a search reads the table now; refuses a bad arch naming the layer', async () => {
    const table = randomTable(3);
    const { events, svc } = recorder();
    const session = fakeSession(table);
    const arch = RS.layers.map((l) => l.choices.at(-1)!);
    await svc.export({ type: 'export', id: 5, arch, format: 'json' }, session);
    expect(session.reads).toBe(1);
    const back = importSubnet((events.at(-1) as { text: string }).text, 'export');
    expect(back.fitness.rule).toBe('dirf');
    expect(back.indicators).toEqual(table);
    const bad = [...arch];
    bad[0] = 99;
    await expect(svc.export({ type: 'export', id: 6, arch: bad, format: 'json' }, session)).rejects.toThrow(/export: .*layer 0/);
    await expect(svc.export({ type: 'export', id: 7, arch, format: 'onnx' as never }, session)).rejects.toThrow(/format must be one of json, timm/);
    await expect(svc.export({ type: 'export', id: 8, arch, format: 'json' }, null)).rejects.toThrow(/export: no supernet yet/);
  });
});

describe('SearchService on a trained supernet (cpu)', () => {
  it('searches and exports the table of a real session, leaking no tensors', async () => {
    const recipe = testRecipe({ sampler: 'uniform', totalSteps: 2 });
    const trainer = new Trainer(recipe);
    const { x, y } = syntheticTensors(recipe, 0);
    await trainer.step(x, y);
    tf.dispose([x, y]);
    const session: SearchableSession = { get steps() { return trainer.stepIndex; }, trainer, indicators: () => readIndicators(trainer.supernet) };
    const before = tf.memory().numTensors;
    const { events, svc, wait } = recorder();
    await svc.start(cmd({ populationSize: 6, generations: 2, maxMacs: null }), session);
    const res = (await wait('searchResult')) as SearchResultEvent;
    expect(res.tableStep).toBe(1);
    expect(res.top.length).toBeGreaterThan(0);
    await svc.export({ type: 'export', id: 3, arch: res.top[0].arch, format: 'json' }, session);
    const back = importSubnet((events.at(-1) as { text: string }).text, 'export');
    expect(back.choices).toEqual(res.top[0].arch);
    expect(back.config).toEqual(recipe.config);
    expect(back.indicators).toEqual(await readIndicators(trainer.supernet));
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });
});
