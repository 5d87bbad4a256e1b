// The rail of stages in working order, each with its status mark; a tab strip below 720 px.
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/index.ts';
import { stageStatus, STATUS_TEXT, type StageStatus } from './stageStatus.ts';
import { useViewHref } from './useView.ts';
import { STAGES, VIEW_PURPOSE, VIEW_TITLE, type ViewName } from './views.ts';

const MARK: Record<StageStatus, string> = { idle: '○', running: '◐', done: '✓', error: '!' };

function RailLink(props: { v: ViewName; view: ViewName; go: (v: ViewName) => void; className?: string; testId: string; title?: string; children: React.ReactNode; status?: string }) {
  const { v, view, go, className, testId, title, children, status } = props;
  return (
    <a
      href={useViewHref(v)}
      className={className}
      data-testid={testId}
      data-status={status}
      aria-current={view === v ? 'page' : undefined}
      title={title}
      onClick={(e) => {
        e.preventDefault();
        go(v);
      }}
    >
      {children}
    </a>
  );
}

export function Rail({ view, go }: { view: ViewName; go: (v: ViewName) => void }) {
  const marks = useStore(
    useShallow((s) =>
      stageStatus({
        status: s.status,
        dataLoading: s.dataLoading,
        dataSelected: s.dataSelected,
        dataNote: s.dataNote,
        trainState: s.trainState,
        trainStep: s.trainStep,
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
            <RailLink v={v} view={view} go={go} testId={`rail-${v}`} status={marks[v]} title={VIEW_PURPOSE[v]}>
              <span className="rail-num" aria-hidden="true">
                {i + 1}
              </span>
              <span className="rail-title">{VIEW_TITLE[v]}</span>
              <span className={`mark mark-${marks[v]}`} aria-label={STATUS_TEXT[marks[v]]} role="img">
                {MARK[marks[v]]}
              </span>
            </RailLink>
          </li>
        ))}
      </ol>
      <RailLink v="engine" view={view} go={go} className="rail-engine" testId="rail-engine">
        Engine &amp; about
      </RailLink>
    </nav>
  );
}
