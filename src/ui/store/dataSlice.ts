// Data: pick or drop shards / folders, read them in the worker, and which data the next build
// trains on (the built-in synthetic data until a load selects some). Async actions end in the
// engine slice's one error handler.
import type { StateCreator } from 'zustand';
import type { DataFileRef } from '../../worker/protocol/index.ts';
import type { Store } from './index.ts';
import { DATA_DEFAULT, withIssue, withLoaded, withLoadStarted, withProgress, type DataValues } from './dataReducers.ts';

export interface DataActions {
  /**
   * Reads `files` in the worker; on success the next build trains on them. Files given while the
   * engine is starting wait in `dataQueued` and are read once it is ready (loadQueuedData).
   */
  loadData: (files: DataFileRef[]) => Promise<void>;
  /** The user declares the data's numeric labels ImageNet class indices (names shown as ImageNet's). */
  setDataImagenetTick: (on: boolean) => void;
  /** Reads the files queued during start-up, if any (the engine slice calls it when ready). */
  loadQueuedData: () => Promise<void>;
  /** Back to the built-in synthetic data (cancels a load in progress). */
  clearData: () => Promise<void>;
  /** Whether the next load's data is trained on through the OPFS decode cache. */
  setDataCache: (on: boolean) => void;
  /** The held-out fraction of the next load, in [0, 1) (src/worker/data/split.ts). */
  setDataValFraction: (fraction: number) => void;
}

export type DataSlice = DataValues & DataActions & {
  /** Files picked or dropped before the engine was ready, read once it is (null: none). */
  dataQueued: DataFileRef[] | null;
  /** "Labels are ImageNet class indices" ticked. */
  dataImagenetTick: boolean;
};

export const createDataSlice: StateCreator<Store, [], [], DataSlice> = (set, get) => ({
  ...DATA_DEFAULT,
  dataQueued: null,
  dataImagenetTick: false,
  setDataImagenetTick: (on) => set({ dataImagenetTick: on }),
  loadQueuedData: async () => {
    const files = get().dataQueued;
    if (files === null) return;
    set({ dataQueued: null });
    await get().loadData(files);
  },
  loadData: async (files) => {
    if (files.length === 0) return;
    const status = get().status;
    if (status === 'starting' || status === 'smoke') {
      set({ dataQueued: files });
      return;
    }
    set(withLoadStarted());
    try {
      const client = get().requireClient();
      client.listen('trainingData', (ev) => set((s) => withIssue(s, ev)));
      const valFraction = get().dataValFraction;
      const done = await client.call('loadData', { files, cache: get().dataCache, ...(valFraction === undefined ? {} : { valFraction }) }, (ev) => {
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
      });
      set(withLoaded(done));
      // the setup follows the data: its class count (a larger one may be chosen later, not a smaller)
      if (done.summary !== null) get().setSetting('numClasses', done.summary.classIndices.length);
      get().clearIn('data');
    } catch (err) {
      set({ dataLoading: false });
      get().failIn('data', err);
    }
  },
  setDataCache: (on) => set({ dataCache: on }),
  setDataValFraction: (fraction) => {
    if (!(fraction >= 0 && fraction < 1)) get().failIn('data', new Error(`Held-out fraction must be a number from 0 to below 1, got ${fraction}`));
    else set({ dataValFraction: fraction });
  },
  clearData: async () => {
    try {
      await get().requireClient().call('dataClear', {});
      set({ ...DATA_DEFAULT, dataCache: get().dataCache, dataValFraction: get().dataValFraction });
      get().clearIn('data');
    } catch (err) {
      get().failIn('data', err);
    }
  },
});
