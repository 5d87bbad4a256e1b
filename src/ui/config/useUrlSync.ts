// Keeps the page URL equal to the setup: every change of preset or settings replaces the query
// (history.replaceState, no navigation); other parameters (`?backends=`) and the hash are kept.
import { useEffect } from 'react';
import type { PresetName, TrainSettings } from '../../worker/protocol/index.ts';
import { useStore } from '../store/index.ts';
import { encodeSetup } from './urlState.ts';

function write(preset: PresetName, settings: TrainSettings): void {
  const { search, hash, pathname } = window.location;
  const next = encodeSetup(preset, settings, search);
  if (next !== search) window.history.replaceState(window.history.state, '', `${pathname}${next}${hash}`);
}

export function useUrlSync(): void {
  useEffect(() => {
    const first = useStore.getState();
    write(first.preset, first.settings);
    return useStore.subscribe((s, prev) => {
      if (s.preset !== prev.preset || s.settings !== prev.settings) write(s.preset, s.settings);
    });
  }, []);
}
