// Runs kept by the worker in IndexedDB: the list (status, step, checkpoint), resume, delete,
// export / import as one file, and WebGPU device-loss notices. A resumed run's history fills the
// Training panel's values. Async actions end in the engine slice's one error handler.
import type { StateCreator } from 'zustand';
import { DEFAULT_CHECKPOINT_POLICY, type Broadcasts, type CheckpointPolicy, type RunResumedEvent, type RunSummary } from '../../worker/protocol/index.ts';
import { saveFile } from '../persist/saveFile.ts';
import type { Store } from './index.ts';
import { persistParams, trainValuesOfResumed, withRun } from './runsReducers.ts';
import { withRestoredSearch } from './searchReducers.ts';

export interface RunsValues {
  runs: RunSummary[];
  /** The worker's checkpoint policy once connected. */
  runsPolicy: CheckpointPolicy | null;
  /** The list was read from the worker at least once. */
  runsConnected: boolean;
  /** A runs command is in flight. */
  runsBusy: boolean;
  /** WebGPU device losses reported by the worker, oldest first. */
  deviceLosses: string[];
  /** The page has ?debug=1 (shows the device-loss test button). */
  runsDebug: boolean;
  /** The last resume: which run, from which checkpoint step, and whether after a device loss. */
  lastResume: { runId: string; name: string; step: number; afterLoss: boolean } | null;
}

export interface RunsActions {
  /** Hooks the runs stream to the ready client, sends the page's checkpoint policy, reads the list. */
  connectRuns: (search: string) => Promise<void>;
  refreshRuns: () => Promise<void>;
  /** Rebuilds the run from its last checkpoint and trains on. */
  resumeRun: (runId: string) => Promise<void>;
  deleteRun: (runId: string) => Promise<void>;
  /** Downloads the run as one file. */
  exportRun: (runId: string) => Promise<void>;
  importRun: (file: File) => Promise<void>;
  /** Test hook (?debug=1): destroys the WebGPU device. */
  loseDevice: () => Promise<void>;
  receiveRuns: (ev: Broadcasts['runs']) => void;
}

export type RunsSlice = RunsValues & RunsActions;

export const RUNS_DEFAULT: RunsValues = { runs: [], runsPolicy: null, runsConnected: false, runsBusy: false, deviceLosses: [], runsDebug: false, lastResume: null };

export const createRunsSlice: StateCreator<Store, [], [], RunsSlice> = (set, get) => {
  /** A resumed run (by the user, or after a device loss): its curves, step and search results. */
  const applyResumed = (ev: RunResumedEvent, afterLoss: boolean): void => {
    set((s) => ({
      ...trainValuesOfResumed(ev),
      ...withRestoredSearch(ev.search, ev.choices, ev.run.name),
      runs: withRun(s.runs, ev.run),
      lastResume: { runId: ev.run.id, name: ev.run.name, step: ev.step, afterLoss },
    }));
    if (ev.searchProblem) get().failIn('search', new Error(`run "${ev.run.name}": its search results were not restored: ${ev.searchProblem}`));
  };
  const guarded = async (work: () => Promise<void>): Promise<void> => {
    set({ runsBusy: true });
    try {
      await work();
      get().clearIn('runs');
    } catch (err) {
      get().failIn('runs', err);
    } finally {
      set({ runsBusy: false });
    }
  };
  return {
    ...RUNS_DEFAULT,
    connectRuns: (search) =>
      guarded(async () => {
        const client = get().requireClient();
        client.listen('runs', (ev) => get().receiveRuns(ev));
        const { policy, debug, issues } = persistParams(search);
        if (issues.length > 0) get().failIn('runs', new Error(issues.join('; ')));
        const ev = await client.call('runsList', { policy: { ...DEFAULT_CHECKPOINT_POLICY, ...policy } });
        set({ runs: ev.runs, runsPolicy: ev.policy, runsConnected: true, runsDebug: debug });
      }),
    refreshRuns: () =>
      guarded(async () => {
        const ev = await get().requireClient().call('runsList', {});
        set({ runs: ev.runs, runsPolicy: ev.policy });
      }),
    resumeRun: (runId) =>
      guarded(async () => {
        applyResumed(await get().requireClient().call('runResume', { runId, start: true }), false);
      }),
    deleteRun: (runId) =>
      guarded(async () => {
        const ev = await get().requireClient().call('runDelete', { runId });
        set({ runs: ev.runs });
      }),
    exportRun: (runId) =>
      guarded(async () => {
        const ev = await get().requireClient().call('runExport', { runId });
        saveFile(ev.fileName, ev.bytes);
      }),
    importRun: (file) =>
      guarded(async () => {
        const ev = await get().requireClient().call('runImport', { file, fileName: file.name });
        set({ runs: ev.runs });
      }),
    loseDevice: () =>
      guarded(async () => {
        await get().requireClient().call('debugLoseDevice', {});
      }),
    receiveRuns: (ev) => {
      switch (ev.type) {
        case 'runUpdated':
          set((s) => ({ runs: withRun(s.runs, ev.run) }));
          return;
        case 'runResumed':
          applyResumed(ev, true);
          return;
        case 'deviceLost':
          set((s) => ({ deviceLosses: [...s.deviceLosses, ev.runId === null ? ev.message : `${ev.message.replace(/\.?$/, '.')} Resuming run ${ev.runId} from its last checkpoint.`] }));
          return;
        default: {
          const unreachable: never = ev;
          get().reportError(new Error(`unknown runs event ${JSON.stringify(unreachable)}`));
        }
      }
    },
  };
};
