// What a view needs before it shows anything, with a link to the stage that provides it. Shown
// above the view's panel while the need is unmet (the panel's controls stay usable).
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/index.ts';
import { useViewHref } from './useView.ts';
import { VIEW_TITLE, type ViewName } from './views.ts';

export function StageLink({ to, go }: { to: ViewName; go: (v: ViewName) => void }) {
  return (
    <a
      href={useViewHref(to)}
      className="stage-link"
      data-testid={`goto-${to}`}
      onClick={(e) => {
        e.preventDefault();
        go(to);
      }}
    >
      → {VIEW_TITLE[to]}
    </a>
  );
}

function Hint({ view, children }: { view: ViewName; children: ReactNode }) {
  return (
    <div className="empty-state" role="note" data-testid={`empty-${view}`}>
      {children}
    </div>
  );
}

/** The empty state of `view`, or nothing when the view has what it needs. */
export function EmptyState({ view, go }: { view: ViewName; go: (v: ViewName) => void }) {
  const s = useStore(
    useShallow((v) => ({
      ready: v.status === 'done',
      failed: v.status === 'failed',
      data: v.dataSelected !== null,
      loading: v.dataLoading,
      state: v.trainState,
      step: v.trainStep,
      isoRuns: v.isoRuns.length,
      isoRunning: v.isoRunning,
      searched: v.searchResult !== null,
      picked: v.searchPicked !== null,
      retrain: v.retrainStatus,
      runs: v.runs.length,
    })),
  );
  if (s.failed && view !== 'engine')
    return (
      <Hint view={view}>
        The engine failed to start, so nothing can run: see what went wrong in <StageLink to="engine" go={go} />.
      </Hint>
    );
  switch (view) {
    case 'data':
      return s.data || s.loading ? null : (
        <Hint view={view}>
          No data loaded: training uses the built-in synthetic dataset. Drop WebDataset shards, an ImageFolder or parquet files below, or go on to set up
          the supernet <StageLink to="supernet" go={go} />.
        </Hint>
      );
    case 'supernet':
      return s.step > 0 ? null : (
        <Hint view={view}>
          The setup below is used at the next Start (and by Isometry). It trains on {s.data ? 'the loaded data' : 'the synthetic data'} (
          <StageLink to="data" go={go} />
          ). When it looks right, check its isometry <StageLink to="isometry" go={go} /> or train it <StageLink to="train" go={go} />.
        </Hint>
      );
    case 'isometry':
      return s.isoRuns > 0 || s.isoRunning ? null : (
        <Hint view={view}>
          No analysis yet. Isometry builds the supernet from the <StageLink to="supernet" go={go} /> setup and needs no training: pick initialisations and
          press Analyse.
        </Hint>
      );
    case 'train':
      return s.state !== 'idle' || s.step > 0 ? null : (
        <Hint view={view}>
          Nothing trained yet. Start builds the supernet from the <StageLink to="supernet" go={go} /> setup and trains it on{' '}
          {s.data ? 'the loaded data' : 'the synthetic data'} (<StageLink to="data" go={go} />
          ); curves and the indicator heatmap appear with the first steps.
        </Hint>
      );
    case 'search':
      if (s.searched) return null;
      return s.step >= 1 ? (
        <Hint view={view}>Set the limits and press Search: the Pareto chart and the top subnets appear here.</Hint>
      ) : (
        <Hint view={view}>
          Search ranks subnets by the trained indicator table: train at least one step first <StageLink to="train" go={go} />.
        </Hint>
      );
    case 'retrain':
      if (s.retrain !== 'idle') return null;
      return s.picked ? null : (
        <Hint view={view}>
          Retrain needs a picked subnet: run a search and click one of its rows <StageLink to="search" go={go} />.
        </Hint>
      );
    case 'runs':
      return s.runs > 0 ? null : (
        <Hint view={view}>
          No stored runs yet: a training run is stored here with its checkpoints as soon as it starts <StageLink to="train" go={go} />.
        </Hint>
      );
    case 'engine':
      return null;
  }
}
