// The workbench shell: a top bar (name, backend, data, run state, theme), a rail of the stages in
// working order, and one stage's view at a time (`?view=` in the URL). Every panel stays mounted
// (hidden when its view is not shown), so their state and streams survive switching views.
// State lives in the store (src/ui/store); the setup in the URL.
import { useEffect, type ReactNode } from 'react';
import { useUrlSync } from './config/useUrlSync.ts';
import { DataPanel } from './panels/DataPanel.tsx';
import { EnginePanel } from './panels/EnginePanel.tsx';
import { IsometryPanel } from './panels/IsometryPanel.tsx';
import { RetrainPanel } from './panels/RetrainPanel.tsx';
import { SearchPanel } from './panels/SearchPanel.tsx';
import { SupernetPanel } from './panels/SupernetPanel.tsx';
import { TrainingPanel } from './panels/TrainingPanel.tsx';
import { RunsPanel } from './panels/RunsPanel.tsx';
import { EmptyState } from './shell/EmptyState.tsx';
import { FaultStrip } from './shell/FaultStrip.tsx';
import { Rail } from './shell/Rail.tsx';
import { PickedArchitecture } from './shell/PickedArchitecture.tsx';
import { TopBar } from './shell/TopBar.tsx';
import { useView } from './shell/useView.ts';
import { VIEW_TITLE, type ViewName } from './shell/views.ts';
import { useStore } from './store/index.ts';

function View({ name, shown, go, children }: { name: ViewName; shown: ViewName; go: (v: ViewName) => void; children: ReactNode }) {
  return (
    <div className={`view view-${name}`} hidden={name !== shown} data-testid={`view-${name}`} aria-label={VIEW_TITLE[name]} role="region">
      <EmptyState view={name} go={go} />
      {children}
    </div>
  );
}

export function App() {
  useUrlSync();
  useEffect(() => useStore.getState().startEngine(window.location.search), []);
  const [view, go] = useView();
  return (
    <div className="shell">
      <TopBar go={go} />
      <Rail view={view} go={go} />
      <main className="main" data-view={view}>
        <FaultStrip go={go} />
        <View name="data" shown={view} go={go}>
          <DataPanel />
        </View>
        <View name="supernet" shown={view} go={go}>
          <SupernetPanel />
        </View>
        <View name="isometry" shown={view} go={go}>
          <IsometryPanel />
        </View>
        <View name="train" shown={view} go={go}>
          <TrainingPanel />
        </View>
        <View name="search" shown={view} go={go}>
          <SearchPanel />
          <PickedArchitecture />
        </View>
        <View name="retrain" shown={view} go={go}>
          <RetrainPanel />
        </View>
        <View name="runs" shown={view} go={go}>
          <RunsPanel />
        </View>
        <View name="engine" shown={view} go={go}>
          <p className="lede">
            An in-browser lab for <em>Dynamical Isometry based Rigorous Fair NAS</em>: a weight-sharing supernet whose candidate blocks are initialised for
            dynamical isometry and trained with rigorously fair path sampling, so every candidate operation is scored on equal terms before the search
            ranks architectures. All tensor work runs in a Web Worker on TensorFlow.js (WebGPU where the browser offers it).
          </p>
          <EnginePanel />
        </View>
      </main>
    </div>
  );
}
