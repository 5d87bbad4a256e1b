// Data: pick or drop shards / folders, read them in the worker, and which data the next build
// trains on (the built-in synthetic data until a load selects some). Async actions end in the
// engine slice's one error handler.
import type { StateCreator } from 'zustand';
import type { DataFileRef } from '../../worker/protocol.ts';
import type { Store } from './index.ts';
import { DATA_DEFAULT, withIssue, withLoaded, withLoadStarted, withProgress, type DataValues } from './dataReducers.ts';

export interface DataActions {
  /** Reads `files` in the worker; on success the next build trains on them. */
  loadData: (files: DataFileRef[]) => Promise<void>;
  /** Back to the built-in synthetic data (cancels a load in progress). */
  clearData: () => Promise<void>;
  /** Whether the next load's data is trained on through the OPFS decode cache. */
  setDataCache: (on: boolean) => void;
  /** The held-out fraction of the next load, in [0, 1) (src/worker/dataSplit.ts). */
  setDataValFraction: (fraction: number) => void;
}

export type DataSlice = DataValues & DataActions;

export const createDataSlice: StateCreator<Store, [], [], DataSlice> = (set, get) => ({
  ...DATA_DEFAULT,
  loadData: async (files) => {
    if (files.length === 0) return;
    set(withLoadStarted());
    try {
      const client = get().requireClient();
      client.onTrainingDataIssue = (ev) => set((s) => withIssue(s, ev));
      const done = await client.loadData(files, get().dataCache, (ev) => {
        switch (ev.type) {
          case 'dataProgress':
            set(withProgress(ev));
            return;
          case 'dataIssue':
            set((s) => withIssue(s, ev));
            return;
          case 'dataSamples':
            set({ dataThumbnails: ev.samples });
            return;
          default: {
            const unreachable: never = ev;
            get().reportError(new Error(`unknown data event ${JSON.stringify(unreachable)}`));
          }
        }
      }, get().dataValFraction);
      set(withLoaded(done));
    } catch (err) {
      set({ dataLoading: false });
      get().reportError(err);
    }
  },
  setDataCache: (on) => set({ dataCache: on }),
  setDataValFraction: (fraction) => {
    if (!(fraction >= 0 && fraction < 1)) get().reportError(new Error(`the held-out fraction must be in [0, 1), got ${fraction}`));
    else set({ dataValFraction: fraction });
  },
  clearData: async () => {
    try {
      await get().requireClient().clearData();
      set({ ...DATA_DEFAULT, dataCache: get().dataCache, dataValFraction: get().dataValFraction });
    } catch (err) {
      get().reportError(err);
    }
  },
});
