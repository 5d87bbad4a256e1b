import { describe, expect, it } from 'vitest';
import { PRESET_SETTINGS } from '../../worker/protocol/index.ts';
import { createStore } from './index.ts';
import { appendPoint, TRAIN_DEFAULT, withBuilt, withIndicators, withProgress } from './trainReducers.ts';

const progress = (step: number, loss: number) =>
  ({ type: 'trainProgress', step, epoch: 0, loss, acc: 0.25, lr: 0.1, paths: 1, imagesPerSec: 8, etaSec: 3 }) as const;

describe('train reducers', () => {
  it('append steps, remember the first loss, and copy the indicator table', () => {
    let v = { ...TRAIN_DEFAULT };
    v = { ...v, ...withProgress(v, progress(0, 1.5)) };
    v = { ...v, ...withProgress(v, progress(1, 1.25)) };
    expect(v.trainStep).toBe(2);
    expect(v.trainPoints).toEqual([{ step: 1, loss: 1.5, acc: 0.25 }, { step: 2, loss: 1.25, acc: 0.25 }]);
    expect(v.trainFirstLoss).toBe(1.5);
    const ind = withIndicators({ type: 'indicators', step: 2, choices: [[-1, 0], [0]], scores: Float32Array.of(1, 0.5, 0.25) });
    expect(ind.trainIndicators).toEqual({ step: 2, choices: [[-1, 0], [0]], scores: [1, 0.5, 0.25] });
    expect(withBuilt('bnnas-mbv2', [[0]], 5)).toMatchObject({ trainPoints: [], trainFirstLoss: null, trainStep: 0, trainTotalSteps: 5, trainState: 'idle' });
  });

  it('halve long curves, keeping the first and the newest point', () => {
    let pts = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, loss: i, acc: 0 }));
    pts = appendPoint(pts, { step: 11, loss: 10, acc: 0 }, 10);
    expect(pts.map((p) => p.step)).toEqual([1, 3, 5, 7, 9, 11]);
  });
});

describe('store', () => {
  it('starts from the DEFAULTs and applies config actions', () => {
    const store = createStore();
    const s = store.getState();
    expect(s.preset).toBe('tiny');
    expect(s.settings).toEqual(PRESET_SETTINGS.tiny);
    expect(s.trainState).toBe('idle');
    expect(s.status).toBe('starting');
    s.setSetting('seed', 7);
    expect(store.getState().settings.seed).toBe(7);
    s.choosePreset('small');
    expect(store.getState().settings).toEqual(PRESET_SETTINGS.small);
    s.loadFromUrl('?res=nope&classes=3');
    expect(store.getState()).toMatchObject({ preset: 'tiny', settings: { ...PRESET_SETTINGS.tiny, numClasses: 3 } });
    expect(store.getState().urlIssues).toHaveLength(1);
  });

  it('applies the steps that arrive between two frames in one update, in order', async () => {
    const store = createStore();
    let updates = 0;
    const unsubscribe = store.subscribe(() => updates++);
    for (let i = 0; i < 3; i++) store.getState().receiveTrain(progress(i, 2 - i / 4));
    expect(store.getState().trainStep).toBe(0); // not yet: queued for the next frame
    await new Promise((r) => setTimeout(r, 50));
    expect(updates).toBe(1);
    expect(store.getState().trainPoints.map((p) => p.loss)).toEqual([2, 1.75, 1.5]);
    expect(store.getState()).toMatchObject({ trainStep: 3, trainFirstLoss: 2 });
    unsubscribe();
  });

  it('shows the warm-up progress until the first step arrives', async () => {
    const store = createStore();
    store.getState().receiveTrain({ type: 'trainWarmup', done: 0, total: 7 });
    store.getState().receiveTrain({ type: 'trainWarmup', done: 3, total: 7 });
    expect(store.getState().trainWarmup).toEqual({ done: 3, total: 7 });
    store.getState().receiveTrain(progress(0, 2));
    await new Promise((r) => setTimeout(r, 50)); // steps are applied at the next frame
    expect(store.getState()).toMatchObject({ trainWarmup: null, trainStep: 1 });
  });

  it('routes stream events and sends failures to the one error handler', async () => {
    const store = createStore();
    store.getState().receiveTrain(progress(0, 2));
    store.getState().receiveTrain({ type: 'trainState', id: null, state: 'done', step: 1 });
    expect(store.getState()).toMatchObject({ trainStep: 1, trainState: 'done', trainFirstLoss: 2 });
    await store.getState().startTrain(); // no engine yet
    expect(store.getState().panelErrors).toEqual({ train: 'the engine is not ready (starting)' });
    expect(store.getState().errors).toEqual([]);
    expect(store.getState().trainBusy).toBe(false);
  });
});
