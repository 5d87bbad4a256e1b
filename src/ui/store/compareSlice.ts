// Two stored runs side by side (docs/isometry.md, "Comparing two runs"): which runs (A, B) and
// which watched module the view shows, all in the URL (cmpA, cmpB, cmpLayer, cmpChoice), and the
// worker's comparison of them (`runCompare`). Async actions end in the engine slice's one error handler.
import type { StateCreator } from 'zustand';
import type { RunComparedEvent } from '../../worker/protocol/index.ts';
import { decodeCompare, encodeCompare, type CompareParams } from '../compare/compareShape.ts';
import type { Store } from './index.ts';
import { replaceQuery } from './urlParams.ts';

export interface CompareValues {
  cmp: CompareParams;
  /** The last comparison (of cmp.runA and cmp.runB as they were then). */
  compared: RunComparedEvent | null;
  cmpBusy: boolean;
  /** The URL's comparison was read. */
  cmpFromUrl: boolean;
}

export interface CompareActions {
  /** Reads cmpA / cmpB / cmpLayer / cmpChoice from the page URL (once) and compares when both runs are named. */
  compareFromUrl: (search: string) => Promise<void>;
  /** Changes the selection (written to the URL); a change of run clears the comparison shown. */
  setCompare: (p: Partial<CompareParams>) => void;
  /** Fetches and compares the two selected runs. */
  compareRuns: () => Promise<void>;
}

export type CompareSlice = CompareValues & CompareActions;

export const COMPARE_DEFAULT: CompareValues = { cmp: { runA: null, runB: null, layer: null, choice: null }, compared: null, cmpBusy: false, cmpFromUrl: false };

export const createCompareSlice: StateCreator<Store, [], [], CompareSlice> = (set, get) => ({
  ...COMPARE_DEFAULT,
  compareFromUrl: async (search) => {
    if (get().cmpFromUrl) return;
    const cmp = decodeCompare(search);
    set({ cmp, cmpFromUrl: true });
    if (cmp.runA !== null && cmp.runB !== null) await get().compareRuns();
  },
  setCompare: (p) => {
    const cmp = { ...get().cmp, ...p };
    const runChanged = cmp.runA !== get().cmp.runA || cmp.runB !== get().cmp.runB;
    set({ cmp, ...(runChanged ? { compared: null } : {}) });
    replaceQuery((s) => encodeCompare(cmp, s));
  },
  compareRuns: async () => {
    const { runA, runB } = get().cmp;
    if (runA === null || runB === null) return;
    set({ cmpBusy: true });
    try {
      const ev = await get().requireClient().call('runCompare', { runA, runB });
      set({ compared: ev });
      replaceQuery((s) => encodeCompare(get().cmp, s));
    } catch (err) {
      get().reportError(err);
    } finally {
      set({ cmpBusy: false });
    }
  },
});
