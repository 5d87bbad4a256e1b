// Pure updates of the search values from the worker's search events (unit-tested without a worker).
import type { ExportedEvent, ScoreRuleName, SearchGenerationEvent, SearchResultEvent, SearchSavedEvent, StoredSearch } from '../../worker/protocol/index.ts';

export type SearchStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

/** One scored candidate on the chart: reference MACs and fitness. */
export interface SearchPoint {
  macs: number;
  fitness: number;
}

export interface SearchValues {
  searchRule: ScoreRuleName;
  /** Limits at the reference as the user set them; null = the setup's initial value (searchLimits.ts). */
  searchMaxMacs: number | null;
  searchMaxParams: number | null;
  searchMacsOn: boolean;
  searchParamsOn: boolean;
  /** Seed of the search's draws; null = the supernet's seed. */
  searchSeed: number | null;
  searchPopulation: number;
  searchGenerations: number;
  searchStatus: SearchStatus;
  /** Generations finished, of `searchTotal`. */
  searchDone: number;
  searchTotal: number;
  searchBest: number | null;
  /** Every scored candidate so far (thinned past MAX_SEARCH_POINTS). */
  searchPoints: SearchPoint[];
  searchResult: SearchResultEvent | null;
  /** The train slice's `choices` of the supernet the result came from (a rebuild makes it stale). */
  searchOf: number[][] | null;
  /** Index into searchResult.top of the picked subnet. */
  searchPicked: number | null;
  searchExports: { json: ExportedEvent | null; timm: ExportedEvent | null };
  /** The name of the run the result is stored with (the worker stores it), null while it is not. */
  searchSavedIn: string | null;
}

export const SEARCH_DEFAULT: SearchValues = {
  searchRule: 'dirf',
  searchMaxMacs: null,
  searchMaxParams: null,
  searchMacsOn: true,
  searchParamsOn: false,
  searchSeed: null,
  searchPopulation: 50,
  searchGenerations: 20,
  searchStatus: 'idle',
  searchDone: 0,
  searchTotal: 0,
  searchBest: null,
  searchPoints: [],
  searchResult: null,
  searchOf: null,
  searchPicked: null,
  searchExports: { json: null, timm: null },
  searchSavedIn: null,
};

/**
 * Points kept on the chart; past this, every other point is dropped (the front is drawn from the
 * result, complete). recharts draws each point as an SVG element: a few thousand, redrawn with
 * every generation event, block the page on a slow machine.
 */
export const MAX_SEARCH_POINTS = 1000;

export function appendPoints(points: SearchPoint[], ev: Pick<SearchGenerationEvent, 'macs' | 'fitness'>, max = MAX_SEARCH_POINTS): SearchPoint[] {
  let next = points.concat(Array.from(ev.macs, (macs, i) => ({ macs, fitness: ev.fitness[i] })));
  while (next.length > max) next = next.filter((_, i) => i % 2 === 0);
  return next;
}

/** A search was sent: results cleared, progress at zero. */
export function withSearchStarted(total: number, of: number[][] | null): Partial<SearchValues> {
  return { searchStatus: 'running', searchDone: 0, searchTotal: total, searchBest: null, searchPoints: [], searchResult: null, searchOf: of, searchPicked: null, searchExports: { json: null, timm: null }, searchSavedIn: null };
}

/** The worker stored the search's result with its run (`run` null: it could not; the problem is reported apart). */
export function withSearchSaved(ev: SearchSavedEvent): Partial<SearchValues> {
  return { searchSavedIn: ev.run === null ? null : ev.run.name };
}

export function withGeneration(v: Pick<SearchValues, 'searchPoints'>, ev: SearchGenerationEvent): Partial<SearchValues> {
  return { searchDone: ev.generation + 1, searchTotal: ev.generations, searchBest: ev.best, searchPoints: appendPoints(v.searchPoints, ev) };
}

/**
 * A resumed run's search values: its stored result (the chart shows the stored top and Pareto
 * candidates; the other scored points are not kept), tied to the resumed supernet's `choices` so
 * a pick exports, and stored with run `runName`; or, for a run without one, no result at all (an
 * earlier run's is dropped). The panel's options stay as they are, but for the rule, which
 * follows the result.
 */
export function withRestoredSearch(search: StoredSearch | null, of: number[][], runName: string): Partial<SearchValues> {
  const cleared = { searchPicked: null, searchExports: { json: null, timm: null } };
  if (search === null) return { ...cleared, searchStatus: 'idle', searchDone: 0, searchTotal: 0, searchBest: null, searchPoints: [], searchResult: null, searchOf: null, searchSavedIn: null };
  const seen = new Set<string>();
  const points: SearchPoint[] = [];
  for (const c of [...search.top, ...search.pareto]) {
    const k = c.arch.join(',');
    if (!seen.has(k)) points.push({ macs: c.macs, fitness: c.fitness });
    seen.add(k);
  }
  return { ...cleared, ...withResult({ ...search, type: 'searchResult', id: 0 }), searchRule: search.rule, searchPoints: points, searchOf: of, searchSavedIn: runName };
}

export function withResult(ev: SearchResultEvent): Partial<SearchValues> {
  return {
    searchStatus: ev.stopped ? 'stopped' : 'done',
    searchDone: ev.history.length,
    searchTotal: ev.generations,
    searchBest: ev.top.length ? ev.top[0].fitness : null,
    searchResult: ev,
  };
}
