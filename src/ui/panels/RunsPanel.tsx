// Runs panel: the runs the worker keeps in IndexedDB (status, steps, last checkpoint), with
// resume (from the last checkpoint), delete, export to one file and import of such a file, and
// the WebGPU device losses the worker reported (it resumes the live run by itself).
import { useEffect } from 'react';
import type { RunSummary } from '../../worker/protocol/index.ts';
import { RunCompare } from '../compare/RunCompare.tsx';
import { useStore } from '../store/index.ts';
import { formatBytes } from '../store/runsReducers.ts';
import { PanelError } from './PanelError.tsx';
import { formatInt } from '../format/numbers.ts';

function RunRow({ run, canResume }: { run: RunSummary; canResume: boolean }) {
  const busy = useStore((s) => s.runsBusy);
  // the running run's step comes from the live stream (the stored summary lags behind it)
  const liveStep = useStore((s) => (run.live && (s.trainState === 'running' || s.trainState === 'paused') ? s.trainStep : null));
  const step = liveStep !== null && liveStep > run.step ? liveStep : run.step;
  const { resumeRun, deleteRun, exportRun } = useStore.getState();
  const hasCheckpoint = run.checkpointStep !== null;
  return (
    <tr data-testid="run-row" data-run-id={run.id} data-status={run.status} data-step={step} data-checkpoint-step={run.checkpointStep ?? ''}>
      <td>
        {run.name}
        {run.live && <em> (this session)</em>}
      </td>
      <td>{new Date(run.created).toLocaleString()}</td>
      <td data-testid="run-status">{run.status}</td>
      <td>
        {formatInt(step)} / {formatInt(run.totalSteps)}
      </td>
      <td>{hasCheckpoint ? `step ${run.checkpointStep}, ${formatBytes(run.checkpointBytes)}` : '–'}</td>
      <td>{run.lastLoss === null ? '–' : run.lastLoss.toFixed(4)}</td>
      <td>{run.data}</td>
      <td className="controls">
        <button type="button" data-testid="run-resume" disabled={busy || !canResume || !hasCheckpoint} onClick={() => void resumeRun(run.id)}>
          Resume
        </button>
        <button type="button" data-testid="run-export" disabled={busy} onClick={() => void exportRun(run.id)}>
          Export
        </button>
        <button type="button" data-testid="run-delete" disabled={busy || (run.live && !canResume)} onClick={() => void deleteRun(run.id)}>
          Delete
        </button>
      </td>
    </tr>
  );
}

export function RunsPanel() {
  const ready = useStore((s) => s.status === 'done');
  const connected = useStore((s) => s.runsConnected);
  const runs = useStore((s) => s.runs);
  const policy = useStore((s) => s.runsPolicy);
  const losses = useStore((s) => s.deviceLosses);
  const debug = useStore((s) => s.runsDebug);
  const busy = useStore((s) => s.runsBusy);
  const trainState = useStore((s) => s.trainState);
  const lastResume = useStore((s) => s.lastResume);
  const { connectRuns, importRun, loseDevice } = useStore.getState();
  useEffect(() => {
    if (ready) void connectRuns(window.location.search);
  }, [ready, connectRuns]);
  const canResume = ready && trainState !== 'running' && trainState !== 'paused';
  return (
    <section aria-labelledby="runs-heading" data-testid="runs-panel" data-connected={connected ? 'true' : 'false'}>
      <h2 id="runs-heading">Runs</h2>
      <p className="note">
        Kept in this browser (IndexedDB): settings, metrics of every step, the last checkpoint
        {policy !== null && ` (taken every ${policy.everySteps} steps or ${Math.round(policy.everyMs / 1000)} s, and on pause, stop and finish)`}.
        A run resumes from its last checkpoint.
      </p>
      {losses.map((m, i) => (
        <p key={i} role="alert" className="error" data-testid="device-lost">
          {m}
        </p>
      ))}
      {lastResume !== null && (
        <p className="note" data-testid="run-resumed" data-step={lastResume.step} data-run-id={lastResume.runId}>
          Resumed “{lastResume.name}” from its checkpoint at step {lastResume.step}
          {lastResume.afterLoss && ' after the device loss'}.
        </p>
      )}
      <div className="controls">
        <label>
          Import a run file{' '}
          <input
            type="file"
            data-testid="run-import"
            accept=".isonas-run,.safetensors"
            disabled={!ready || busy}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void importRun(f);
            }}
          />
        </label>
        {debug && (
          <button type="button" data-testid="debug-lose-device" disabled={!ready || busy} onClick={() => void loseDevice()}>
            Lose the WebGPU device (test)
          </button>
        )}
      </div>
      <PanelError panel="runs" />
      {runs.length === 0 ? (
        <p className="note" data-testid="runs-empty">
          {connected ? 'No stored runs yet: start training and the run appears here.' : 'Reading the stored runs…'}
        </p>
      ) : (
        <table className="runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Created</th>
              <th>Status</th>
              <th>Steps</th>
              <th>Checkpoint</th>
              <th>Last loss</th>
              <th>Data</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} run={r} canResume={canResume} />
            ))}
          </tbody>
        </table>
      )}
      {runs.length >= 2 && <RunCompare />}
    </section>
  );
}
