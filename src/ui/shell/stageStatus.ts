// The status mark of each stage in the rail, from the store's values. Pure (unit-tested).
import type { ViewName } from './views.ts';

export type StageStatus = 'idle' | 'running' | 'done' | 'error';

export const STATUS_TEXT: Record<StageStatus, string> = {
  idle: 'not started',
  running: 'running',
  done: 'done',
  error: 'error',
};

/** The store values the marks read (a subset of Store, so tests can pass plain objects). */
export interface StageInputs {
  status: 'starting' | 'smoke' | 'done' | 'failed';
  dataLoading: boolean;
  dataSelected: unknown;
  dataNote: string | null;
  trainState: string;
  trainStep: number;
  isoRunning: boolean;
  isoRuns: readonly unknown[];
  searchStatus: string;
  searchResult: unknown;
  retrainStatus: string;
  runs: readonly { status: string; live?: boolean }[];
}

function fromRun(running: boolean, failed: boolean, done: boolean): StageStatus {
  if (failed) return 'error';
  if (running) return 'running';
  return done ? 'done' : 'idle';
}

export function stageStatus(s: StageInputs): Record<ViewName, StageStatus> {
  const engine: StageStatus = s.status === 'failed' ? 'error' : s.status === 'done' ? 'done' : 'running';
  return {
    data: fromRun(s.dataLoading, !s.dataLoading && s.dataSelected === null && s.dataNote !== null, s.dataSelected !== null),
    supernet: s.trainStep > 0 || s.trainState !== 'idle' ? 'done' : 'idle',
    isometry: fromRun(s.isoRunning, false, s.isoRuns.length > 0),
    train: fromRun(s.trainState === 'running' || s.trainState === 'paused', false, s.trainStep > 0),
    search: fromRun(s.searchStatus === 'running', s.searchStatus === 'failed', s.searchResult !== null),
    retrain: fromRun(s.retrainStatus === 'running', s.retrainStatus === 'failed', s.retrainStatus === 'done' || s.retrainStatus === 'stopped'),
    runs: s.runs.length > 0 ? (s.runs.some((r) => r.status === 'running' && r.live === true) ? 'running' : 'done') : 'idle',
    engine,
  };
}
