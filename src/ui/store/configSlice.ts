// The setup: preset, the training settings, and what was wrong with the URL it came from.
// Pure: the URL is written by a subscription (src/ui/config/useUrlSync.ts), not here.

import type { StateCreator } from 'zustand';
import { PRESET_SETTINGS, type PresetName, type TrainSettings } from '../../worker/protocol/index.ts';
import { DEFAULT_PRESET, decodeSetup } from '../config/urlState.ts';
import type { Store } from './index.ts';

export interface ConfigValues {
  preset: PresetName;
  settings: TrainSettings;
  /** Invalid URL parameters, each with the value used instead. */
  urlIssues: string[];
}

export interface ConfigActions {
  setSetting: <K extends keyof TrainSettings>(key: K, value: TrainSettings[K]) => void;
  /** Replaces every setting by the preset's. */
  choosePreset: (preset: PresetName) => void;
  loadFromUrl: (search: string) => void;
}

export type ConfigSlice = ConfigValues & ConfigActions;

export const CONFIG_DEFAULT: ConfigValues = {
  preset: DEFAULT_PRESET,
  settings: PRESET_SETTINGS[DEFAULT_PRESET],
  urlIssues: [],
};

export const createConfigSlice: StateCreator<Store, [], [], ConfigSlice> = (set) => ({
  ...CONFIG_DEFAULT,
  setSetting: (key, value) => set((s) => ({ settings: { ...s.settings, [key]: value } })),
  choosePreset: (preset) => set({ preset, settings: { ...PRESET_SETTINGS[preset] } }),
  loadFromUrl: (search) => {
    const d = decodeSetup(search);
    set({ preset: d.preset, settings: d.settings, urlIssues: d.issues });
  },
});
