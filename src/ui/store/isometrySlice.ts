// The Isometry panel: controls (inits to compare, layers, tile, before / after training,
// calibration), the running analysis's progress and stop, and the runs shown (module spectra and
// depth profiles). Fields carry an `iso` prefix: the store is one flat object shared by slices.
// Async actions end in the engine slice's one error handler.

import type { StateCreator } from 'zustand';
import { INIT_NAMES, type CalibrationName, type InitName, type IsometryProgressEvent } from '../../worker/protocol/index.ts';
import type { Store } from './index.ts';
import { mergeRuns, parseLayers, runsOfResult, setupOf, type IsoRunView, type IsoSetup } from './isometryReducers.ts';

/** The core's default tile side (src/core/isometry/jacobian.ts DEFAULT_TILE.size). */
export const ISO_DEFAULT_TILE = 4;

export interface IsometryValues {
  /** Initialisations compared "at init" (in INIT_NAMES order). */
  isoInits: InitName[];
  /** Layers as typed ("0,3,7"; empty = every layer). */
  isoLayersText: string;
  isoTile: number;
  /** Analyse the training session's supernet (trained BN) instead of fresh ones at init. */
  isoUseTrained: boolean;
  isoCalibration: CalibrationName;
  isoRunning: boolean;
  /** A stop was asked for and the worker has not answered the analysis yet. */
  isoStopping: boolean;
  isoProgress: Omit<IsometryProgressEvent, 'type' | 'id'> | null;
  /** The last analysis ended early. */
  isoStopped: boolean;
  /** Runs shown (overlaid in the charts), their common setup and the fixed bin edges. */
  isoRuns: IsoRunView[];
  isoSetup: IsoSetup | null;
  isoEdges: number[];
  /** Module shown in the spectrum chart. */
  isoSelected: { layer: number; choice: number } | null;
}

export interface IsometryActions {
  toggleIsoInit: (init: InitName) => void;
  setIsoLayersText: (text: string) => void;
  setIsoTile: (tile: number) => void;
  setIsoUseTrained: (on: boolean) => void;
  setIsoCalibration: (c: CalibrationName) => void;
  selectIsoModule: (layer: number, choice: number) => void;
  clearIsoRuns: () => void;
  /** Runs the analysis with the current controls and setup; its runs join those shown. */
  runIsometry: () => Promise<void>;
  stopIsometry: () => Promise<void>;
}

export type IsometrySlice = IsometryValues & IsometryActions;

export const ISOMETRY_DEFAULT: IsometryValues = {
  isoInits: ['orthogonal', 'he-normal'],
  isoLayersText: '0,3,7',
  isoTile: ISO_DEFAULT_TILE,
  isoUseTrained: false,
  isoCalibration: 'sequential',
  isoRunning: false,
  isoStopping: false,
  isoProgress: null,
  isoStopped: false,
  isoRuns: [],
  isoSetup: null,
  isoEdges: [],
  isoSelected: null,
};

/** The selection kept if the runs still have that module, else the first module of the first run. */
function keepSelection(runs: IsoRunView[], sel: IsometryValues['isoSelected']): IsometryValues['isoSelected'] {
  if (sel && runs.some((r) => r.modules.some((m) => m.layer === sel.layer && m.choice === sel.choice))) return sel;
  const first = runs.find((r) => r.modules.length > 0)?.modules[0];
  return first ? { layer: first.layer, choice: first.choice } : null;
}

export const createIsometrySlice: StateCreator<Store, [], [], IsometrySlice> = (set, get) => ({
  ...ISOMETRY_DEFAULT,
  toggleIsoInit: (init) =>
    set((s) => {
      const on = new Set(s.isoInits);
      if (on.has(init)) on.delete(init);
      else on.add(init);
      return { isoInits: INIT_NAMES.filter((i) => on.has(i)) };
    }),
  setIsoLayersText: (text) => set({ isoLayersText: text }),
  setIsoTile: (tile) => set({ isoTile: tile }),
  setIsoUseTrained: (on) => set({ isoUseTrained: on }),
  setIsoCalibration: (c) => set({ isoCalibration: c }),
  selectIsoModule: (layer, choice) => set({ isoSelected: { layer, choice } }),
  clearIsoRuns: () => set({ isoRuns: [], isoSetup: null, isoSelected: null, isoStopped: false }),
  runIsometry: async () => {
    if (get().isoRunning) return;
    set({ isoRunning: true, isoStopping: false, isoStopped: false, isoProgress: null });
    try {
      const s = get();
      const client = s.requireClient();
      // Layers are checked against the built supernet when it is the one analysed (the worker checks too).
      const parsed = parseLayers(s.isoLayersText, s.isoUseTrained ? (s.trainChoices?.length ?? null) : null);
      if ('error' in parsed) throw new Error(parsed.error);
      if (!s.isoUseTrained && s.isoInits.length === 0) throw new Error('isometry: choose at least one initialisation to compare');
      const ev = await client.call(
        'isometry',
        { preset: s.preset, settings: s.settings, inits: s.isoInits, layers: parsed.layers, tile: s.isoTile, useTrained: s.isoUseTrained, calibration: s.isoCalibration },
        ({ type: _type, id: _id, ...p }) => set({ isoProgress: p }),
      );
      const setup = setupOf(ev);
      set((cur) => {
        const runs = mergeRuns(cur.isoRuns, cur.isoSetup, runsOfResult(ev), setup);
        return { isoRuns: runs, isoSetup: setup, isoEdges: Array.from(ev.histEdges), isoStopped: ev.stopped, isoSelected: keepSelection(runs, cur.isoSelected) };
      });
      get().clearIn('isometry');
    } catch (err) {
      get().failIn('isometry', err);
    } finally {
      set({ isoRunning: false, isoStopping: false });
    }
  },
  stopIsometry: async () => {
    if (!get().isoRunning) return;
    set({ isoStopping: true });
    try {
      await get().requireClient().call('isometryStop', {});
    } catch (err) {
      get().failIn('isometry', err);
    }
  },
});
