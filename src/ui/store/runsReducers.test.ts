import { describe, expect, it } from 'vitest';
import { PRESET_SETTINGS, type RunResumedEvent, type RunSummary } from '../../worker/protocol/index.ts';
import { persistParams, pointsOf, trainValuesOfResumed, withRun } from './runsReducers.ts';

const run = (id: string, created: number, live = false): RunSummary => ({
  id,
  name: id,
  created,
  updated: created,
  preset: 'tiny',
  settings: PRESET_SETTINGS.tiny,
  data: 'synthetic',
  status: 'stopped',
  step: 4,
  totalSteps: 100,
  checkpointStep: 4,
  checkpointBytes: 10,
  lastLoss: 1,
  hasSearch: false,
  live,
});

describe('runs reducers', () => {
  it('withRun replaces or adds a run, newest first, with one live run at most', () => {
    const list = [run('b', 2, true), run('a', 1)];
    const next = withRun(list, { ...run('c', 3, true), status: 'running' });
    expect(next.map((r) => [r.id, r.live])).toEqual([['c', true], ['b', false], ['a', false]]);
    expect(withRun(next, { ...run('a', 1), step: 9 }).find((r) => r.id === 'a')?.step).toBe(9);
  });

  it('pointsOf keeps 1-based steps, thins to the cap and keeps the last point', () => {
    const loss = Float32Array.from({ length: 2500 }, (_, i) => i);
    const pts = pointsOf(loss, loss, 1000);
    expect(pts.length).toBeLessThanOrEqual(1001);
    expect(pts[0]).toEqual({ step: 1, loss: 0, acc: 0 });
    expect(pts.at(-1)).toEqual({ step: 2500, loss: 2499, acc: 2499 });
    expect(pointsOf(new Float32Array(0), new Float32Array(0))).toEqual([]);
  });

  it('a resumed run sets the counter to its checkpoint step and the curves to its history', () => {
    const ev: RunResumedEvent = {
      type: 'runResumed',
      id: 3,
      backend: 'webgpu',
      run: run('r', 1, true),
      choices: [[-1, 0, 1]],
      totalSteps: 100,
      step: 3,
      state: 'running',
      history: { loss: Float32Array.from([2, 1.5, 1]), acc: Float32Array.from([0, 0.25, 0.5]), lr: Float32Array.from([0.1, 0.09, 0.08]) },
      search: null,
    };
    const v = trainValuesOfResumed(ev);
    expect(v).toMatchObject({ trainStep: 3, trainState: 'running', trainTotalSteps: 100, trainFirstLoss: 2, trainSpace: 'demo-mbv2' });
    expect(v.trainPoints?.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(v.trainLr).toBeCloseTo(0.08);
  });

  it('persistParams reads ?ckpt, ?ckptMs and ?debug=1 and names bad values', () => {
    expect(persistParams('?ckpt=2&ckptMs=500&debug=1')).toEqual({ policy: { everySteps: 2, everyMs: 500 }, debug: true, issues: [] });
    const bad = persistParams('?ckpt=0&ckptMs=x');
    expect(bad.policy).toEqual({});
    expect(bad.issues).toHaveLength(2);
    expect(bad.issues[0]).toMatch(/^ckpt=0:/);
    expect(persistParams('').debug).toBe(false);
  });
});
