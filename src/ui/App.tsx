// The lab's frame: engine status, the Supernet and Training panels, and marked places for the
// panels later issues bring. State lives in the store (src/ui/store); the setup in the URL.
import { useEffect } from 'react';
import { useUrlSync } from './config/useUrlSync.ts';
import { DataPanel } from './panels/DataPanel.tsx';
import { EnginePanel } from './panels/EnginePanel.tsx';
import { IsometryPanel } from './panels/IsometryPanel.tsx';
import { RetrainPanel } from './panels/RetrainPanel.tsx';
import { SearchPanel } from './panels/SearchPanel.tsx';
import { SupernetPanel } from './panels/SupernetPanel.tsx';
import { TrainingPanel } from './panels/TrainingPanel.tsx';
import { RunsPanel } from './panels/RunsPanel.tsx';
import { useStore } from './store/index.ts';

export function App() {
  useUrlSync();
  useEffect(() => useStore.getState().startEngine(window.location.search), []);
  return (
    <main>
      <h1>IsoNAS Lab</h1>
      <p className="lede">
        An in-browser lab for <em>Dynamical Isometry based Rigorous Fair NAS</em>: a weight-sharing
        supernet whose candidate blocks are initialised for dynamical isometry and trained with
        rigorously fair path sampling, so every candidate operation is scored on equal terms before
        the search ranks architectures. All tensor work runs in a Web Worker on TensorFlow.js
        (WebGPU where the browser offers it).
      </p>
      <EnginePanel />
      <DataPanel />
      <SupernetPanel />
      <IsometryPanel />
      <TrainingPanel />
      <SearchPanel />
      <RunsPanel />
      <RetrainPanel />
    </main>
  );
}
