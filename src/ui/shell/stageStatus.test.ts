import { describe, expect, it } from 'vitest';
import { stageStatus, type StageInputs } from './stageStatus.ts';
import { searchWithView, viewFromSearch } from './views.ts';

const fresh: StageInputs = {
  status: 'done',
  dataLoading: false,
  dataSelected: null,
  dataNote: null,
  trainState: 'idle',
  trainStep: 0,
  isoRunning: false,
  isoRuns: [],
  searchStatus: 'idle',
  searchResult: null,
  retrainStatus: 'idle',
  runs: [],
};

describe('stageStatus', () => {
  it('marks nothing started on a fresh page', () => {
    const s = stageStatus(fresh);
    expect([s.data, s.supernet, s.isometry, s.train, s.search, s.retrain, s.runs]).toEqual(Array(7).fill('idle'));
    expect(s.engine).toBe('done');
  });
  it('follows training, search and failures', () => {
    expect(stageStatus({ ...fresh, trainState: 'running', trainStep: 3 }).train).toBe('running');
    expect(stageStatus({ ...fresh, trainState: 'stopped', trainStep: 3 }).train).toBe('done');
    expect(stageStatus({ ...fresh, trainState: 'stopped', trainStep: 3 }).supernet).toBe('done');
    expect(stageStatus({ ...fresh, searchStatus: 'failed' }).search).toBe('error');
    expect(stageStatus({ ...fresh, searchStatus: 'done', searchResult: {} }).search).toBe('done');
    expect(stageStatus({ ...fresh, dataNote: 'no usable sample' }).data).toBe('error');
    expect(stageStatus({ ...fresh, dataLoading: true }).data).toBe('running');
    expect(stageStatus({ ...fresh, status: 'failed' }).engine).toBe('error');
    expect(stageStatus({ ...fresh, runs: [{ status: 'running', live: true }] }).runs).toBe('running');
  });
});

describe('view in the URL', () => {
  it('reads view= and falls back to data', () => {
    expect(viewFromSearch('?preset=tiny&view=search')).toBe('search');
    expect(viewFromSearch('?view=nope')).toBe('data');
    expect(viewFromSearch('')).toBe('data');
  });
  it('sets view= keeping the other parameters', () => {
    expect(searchWithView('?preset=tiny&res=32&backends=cpu', 'train')).toBe('?preset=tiny&res=32&backends=cpu&view=train');
    expect(searchWithView('?view=data&res=32', 'runs')).toBe('?view=runs&res=32');
  });
});
