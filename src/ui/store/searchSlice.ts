// Search: the options (rule, limits, seed, population, generations), the running search's
// progress and points, its result, the picked subnet and its exports. Async actions end in the
// engine slice's one error handler.
import type { StateCreator } from 'zustand';
import { SPACES } from '../../core/space/spaces.ts';
import type { ExportFormat, SearchGenerationEvent, SearchSavedEvent } from '../../worker/protocol/index.ts';
import { limitValue, searchLimitRanges } from '../config/searchLimits.ts';
import { foldEvents, frameBatch } from './frameBatch.ts';
import type { Store } from './index.ts';
import { SEARCH_DEFAULT, withGeneration, withResult, withSearchSaved, withSearchStarted, type SearchValues } from './searchReducers.ts';

/** Options the panel edits. */
export type SearchOptionKey = 'searchRule' | 'searchMaxMacs' | 'searchMaxParams' | 'searchMacsOn' | 'searchParamsOn' | 'searchSeed' | 'searchPopulation' | 'searchGenerations';

export interface SearchActions {
  setSearchOption: <K extends SearchOptionKey>(key: K, value: SearchValues[K]) => void;
  /** Searches the current supernet's indicator table with the options; resolves when it ends. */
  startSearch: () => Promise<void>;
  /** Stops the running search after its generation in flight. */
  stopSearch: () => Promise<void>;
  /** Picks row `index` of the top list and fetches its exports (JSON; timm for MobileNetV2 spaces). */
  pickResult: (index: number) => Promise<void>;
}

export type SearchSlice = SearchValues & SearchActions;

export { SEARCH_DEFAULT };

export const createSearchSlice: StateCreator<Store, [], [], SearchSlice> = (set, get) => {
  // Generation events are applied at most once a frame (frameBatch.ts): each one redraws the scatter.
  const generations = frameBatch<SearchGenerationEvent>((evs) => set((v) => foldEvents<SearchValues, SearchGenerationEvent>(v, evs, withGeneration)));
  return {
    ...SEARCH_DEFAULT,
    setSearchOption: (key, value) => set({ [key]: value } as Partial<SearchValues>),
    startSearch: async () => {
      try {
        const client = get().requireClient();
        const s = get();
        const ranges = searchLimitRanges(s.settings);
        const total = s.searchGenerations;
        set(withSearchStarted(total, s.trainChoices));
        // the worker stores the result with the searched supernet's run itself (docs/app.md, "Persistence")
        let problem: string | null = null;
        const saved = (ev: SearchSavedEvent) => {
          if (ev.run === null) problem = ev.problem;
          else set(withSearchSaved(ev)); // the Runs list hears of it by runUpdated
        };
        const result = await client.call(
          'search',
          {
            rule: s.searchRule,
            maxMacs: s.searchMacsOn ? limitValue(ranges.macs, s.searchMaxMacs) : null,
            maxParams: s.searchParamsOn ? limitValue(ranges.params, s.searchMaxParams) : null,
            seed: s.searchSeed ?? s.settings.seed,
            populationSize: s.searchPopulation,
            generations: total,
          },
          (ev) => (ev.type === 'searchGeneration' ? generations.push(ev) : saved(ev)),
        );
        generations.flush();
        set(withResult(result));
        get().clearIn('search');
        if (problem !== null) get().failIn('search', new Error(`the search results were not stored with the run: ${problem}`));
      } catch (err) {
        generations.flush();
        set({ searchStatus: 'failed' });
        get().failIn('search', err);
      }
    },
    stopSearch: async () => {
      try {
        await get().requireClient().call('searchStop', {});
      } catch (err) {
        get().failIn('search', err);
      }
    },
    pickResult: async (index) => {
      const r = get().searchResult;
      if (r === null || index < 0 || index >= r.top.length) return;
      if (get().searchOf !== get().trainChoices) {
        get().failIn('search', new Error('these search results belong to an earlier supernet: search again to export'));
        return;
      }
      set({ searchPicked: index, searchExports: { json: null, timm: null } });
      const arch = r.top[index].arch;
      const formats: ExportFormat[] = SPACES[r.space].family === 'mbv2' ? ['json', 'timm'] : ['json'];
      try {
        const client = get().requireClient();
        for (const format of formats) {
          const ev = await client.call('export', { arch, format, rule: r.rule });
          // a later pick (or search) wins
          if (get().searchResult !== r || get().searchPicked !== index) return;
          set((v) => ({ searchExports: { ...v.searchExports, [format]: ev } }));
        }
      } catch (err) {
        get().failIn('search', err);
      }
    },
  };
};
