// The rail of stages in working order, each with its status mark; a tab strip below 720 px.
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/index.ts';
import { stageStatus, STATUS_TEXT, type StageStatus } from './stageStatus.ts';
import { viewHref } from './useView.ts';
import { STAGES, VIEW_PURPOSE, VIEW_TITLE, type ViewName } from './views.ts';

const MARK: Record<StageStatus, string> = { idle: '○', running: '◐', done: '✓', error: '!' };

export function Rail({ view, go }: { view: ViewName; go: (v: ViewName) => void }) {
  const marks = useStore(
    useShallow((s) =>
      stageStatus({
        status: s.status,
        dataLoading: s.dataLoading,
        dataSelected: s.dataSelected,
        dataNote: s.dataNote,
        state: s.state,
        step: s.step,
        isoRunning: s.isoRunning,
        isoRuns: s.isoRuns,
        searchStatus: s.searchStatus,
        searchResult: s.searchResult,
        retrainStatus: s.retrainStatus,
        runs: s.runs,
      }),
    ),
  );
  return (
    <nav className="rail" aria-label="Stages">
      <ol>
        {STAGES.map((v, i) => (
          <li key={v}>
            <a
              href={viewHref(v)}
              data-testid={`rail-${v}`}
              data-status={marks[v]}
              aria-current={view === v ? 'page' : undefined}
              title={VIEW_PURPOSE[v]}
              onClick={(e) => {
                e.preventDefault();
                go(v);
              }}
            >
              <span className="rail-num" aria-hidden="true">
                {i + 1}
              </span>
              <span className="rail-title">{VIEW_TITLE[v]}</span>
              <span className={`mark mark-${marks[v]}`} aria-label={STATUS_TEXT[marks[v]]} role="img">
                {MARK[marks[v]]}
              </span>
            </a>
          </li>
        ))}
      </ol>
      <a
        className="rail-engine"
        href={viewHref('engine')}
        data-testid="rail-engine"
        aria-current={view === 'engine' ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          go('engine');
        }}
      >
        Engine &amp; about
      </a>
    </nav>
  );
}
