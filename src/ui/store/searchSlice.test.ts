import { describe, expect, it } from 'vitest';
import type { EngineEvent, RunSummary, SearchGenerationEvent, SearchResultEvent, SearchSavedEvent } from '../../worker/protocol/index.ts';
import type { EngineClient } from '../engineClient.ts';
import { createStore } from './index.ts';
import { appendPoints, SEARCH_DEFAULT, withGeneration, withRestoredSearch, withResult, withSearchStarted } from './searchReducers.ts';

const gen = (generation: number, macs: number[], fitness: number[]): SearchGenerationEvent => ({
  type: 'searchGeneration', id: 1, generation, generations: 4, best: Math.max(...fitness), mean: null, evaluated: macs.length, rejected: 0,
  macs: Float64Array.from(macs), fitness: Float64Array.from(fitness),
});

const result = (stopped: boolean): SearchResultEvent => ({
  type: 'searchResult', id: 1, stopped, space: 'bnnas-mbv2', widthMult: 0.25, rule: 'dirf', seed: 0, maxMacs: null, maxParams: null,
  populationSize: 2, generations: 4, tableStep: 3, evaluated: 3,
  top: [{ arch: [0], fitness: 2, macs: 5, params: 1 }, { arch: [1], fitness: 1, macs: 3, params: 1 }],
  pareto: [], history: [{ generation: 0, best: 2, mean: 1.5, evaluated: 2, rejected: 0 }, { generation: 1, best: 2, mean: 1, evaluated: 1, rejected: 4 }],
  argmax: { arch: [0], fitness: 2, macs: 5, params: 1, withinLimits: true },
});

describe('search reducers', () => {
  it('accumulate points and progress, then take the result', () => {
    const of = [[0, 1]];
    let v = { ...SEARCH_DEFAULT, ...withSearchStarted(4, of) };
    expect(v).toMatchObject({ searchStatus: 'running', searchTotal: 4, searchDone: 0, searchOf: of, searchPoints: [] });
    v = { ...v, ...withGeneration(v, gen(0, [5, 3], [2, 1])) };
    v = { ...v, ...withGeneration(v, gen(1, [4], [0.5])) };
    expect(v.searchDone).toBe(2);
    expect(v.searchPoints).toEqual([{ macs: 5, fitness: 2 }, { macs: 3, fitness: 1 }, { macs: 4, fitness: 0.5 }]);
    v = { ...v, ...withResult(result(true)) };
    expect(v).toMatchObject({ searchStatus: 'stopped', searchDone: 2, searchBest: 2 });
    expect(withResult(result(false)).searchStatus).toBe('done');
  });

  it('restore a resumed run\'s stored result, tied to the resumed supernet, or clear an earlier one', () => {
    const { type: _t, id: _i, ...stored } = { ...result(false), rule: 'bnnas' as const, pareto: [{ arch: [1], fitness: 1, macs: 3, params: 1 }, { arch: [2], fitness: 0.5, macs: 1, params: 1 }] };
    const of = [[0, 1, 2]];
    const before = { ...SEARCH_DEFAULT, ...withResult(result(true)), searchPicked: 1, searchOf: [[0]], searchSavedIn: 'run B' };
    const v = { ...before, ...withRestoredSearch(stored, of, 'run A') };
    expect(v).toMatchObject({ searchStatus: 'done', searchDone: 2, searchTotal: 4, searchBest: 2, searchRule: 'bnnas', searchPicked: null, searchExports: { json: null, timm: null }, searchSavedIn: 'run A' });
    expect(v.searchOf).toBe(of);
    expect(v.searchResult).toEqual({ ...stored, type: 'searchResult', id: 0 });
    // top and Pareto candidates, each arch once
    expect(v.searchPoints).toEqual([{ macs: 5, fitness: 2 }, { macs: 3, fitness: 1 }, { macs: 1, fitness: 0.5 }]);
    const none = { ...before, ...withRestoredSearch(null, of, 'run A') };
    expect(none).toMatchObject({ searchStatus: 'idle', searchResult: null, searchOf: null, searchPoints: [], searchPicked: null, searchRule: 'dirf', searchSavedIn: null });
  });

  it('thin the points past the cap', () => {
    const pts = appendPoints([], { macs: Float64Array.from([1, 2, 3, 4, 5]), fitness: Float64Array.from([1, 2, 3, 4, 5]) }, 4);
    expect(pts.map((p) => p.macs)).toEqual([1, 3, 5]);
  });
});

/** A client stand-in: records the commands; `search` streams `stream` and then answers `answer`. */
function fakeClient(stream: EngineEvent[], answer: SearchResultEvent) {
  const calls: string[] = [];
  const client = {
    call: async (type: string, _body: unknown, onStream?: (ev: EngineEvent) => void) => {
      calls.push(type);
      for (const ev of stream) onStream?.(ev);
      return answer;
    },
  };
  return { calls, client: client as unknown as EngineClient };
}

describe('search slice', () => {
  it('takes the result; the worker stores it with the run (searchSaved), nothing is sent back', async () => {
    const store = createStore();
    const run = { id: 'run-1', name: 'run one' } as RunSummary;
    const saved: SearchSavedEvent = { type: 'searchSaved', id: 1, run };
    const f = fakeClient([gen(0, [5], [2]), saved], result(false));
    store.setState({ client: f.client, status: 'done', searchSavedIn: 'an earlier run' });
    await store.getState().startSearch();
    expect(f.calls).toEqual(['search']);
    expect(store.getState()).toMatchObject({ searchStatus: 'done', searchSavedIn: 'run one', searchResult: result(false) });
    expect(store.getState().panelErrors.search).toBeUndefined();

    // a search whose result could not be stored: the result stands, the problem is the panel's error
    const g = fakeClient([{ type: 'searchSaved', id: 1, run: null, problem: 'quota exceeded' }], result(true));
    store.setState({ client: g.client });
    await store.getState().startSearch();
    expect(store.getState()).toMatchObject({ searchStatus: 'stopped', searchSavedIn: null });
    expect(store.getState().panelErrors.search).toBe('the search results were not stored with the run: quota exceeded');
  });


  it('sets options, and sends failures to the one error handler', async () => {
    const store = createStore();
    store.getState().setSearchOption('searchRule', 'bnnas');
    store.getState().setSearchOption('searchMaxMacs', 123);
    expect(store.getState()).toMatchObject({ searchRule: 'bnnas', searchMaxMacs: 123, searchStatus: 'idle' });
    await store.getState().startSearch(); // no engine yet
    expect(store.getState().searchStatus).toBe('failed');
    expect(store.getState().panelErrors.search).toBe('the engine is not ready (starting)');
  });

  it('refuses to export results of an earlier supernet', async () => {
    const store = createStore();
    const built = [[0, 1]];
    store.setState({ ...withResult(result(false)), searchOf: built, trainChoices: built });
    await store.getState().pickResult(1);
    expect(store.getState().panelErrors.search).toBe('the engine is not ready (starting)'); // got as far as the worker
    expect(store.getState().searchPicked).toBe(1);
    store.setState({ trainChoices: [[0, 1]] }); // a rebuild: a new choices array
    await store.getState().pickResult(0);
    expect(store.getState().panelErrors.search).toMatch(/belong to an earlier supernet/);
    expect(store.getState().searchPicked).toBe(1);
  });
});
