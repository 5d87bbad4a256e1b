import { describe, expect, it } from 'vitest';
import { classCountProblem } from '../config/dataClasses.ts';
import { blockingField } from './feedbackSlice.ts';
import { createStore } from './index.ts';

describe('panel errors and invalid boxes', () => {
  it('a failure lands in its panel, not the engine list; dismiss and a later success clear it', () => {
    const store = createStore();
    const s = store.getState();
    s.failIn('runs', new Error('cannot resume'));
    s.failIn('search', 'no table');
    expect(store.getState().panelErrors).toEqual({ runs: 'cannot resume', search: 'no table' });
    expect(store.getState().errors).toEqual([]);
    s.clearIn('runs');
    expect(store.getState().panelErrors).toEqual({ search: 'no table' });
    const before = store.getState().panelErrors;
    s.clearIn('runs'); // nothing to clear: no new state
    expect(store.getState().panelErrors).toBe(before);
  });
  it('keeps invalid drafts by box id; the first matching one is the reason an action is off', () => {
    const store = createStore();
    const s = store.getState();
    s.setFieldError('setting-res', 'Resolution must be a whole number from 8 to 512');
    s.setFieldError('search-population', 'Population must be a whole number from 2 to 1,000');
    const f = store.getState().fieldErrors;
    expect(blockingField(f, ['setting-'])).toBe('Resolution must be a whole number from 8 to 512');
    expect(blockingField(f, ['search-'])).toBe('Population must be a whole number from 2 to 1,000');
    expect(blockingField(f, ['retrain-'])).toBeNull();
    s.setFieldError('setting-res', null);
    expect(blockingField(store.getState().fieldErrors, ['setting-'])).toBeNull();
  });
  it('files given while the engine starts are queued, not refused', async () => {
    const store = createStore();
    const file = { file: new File([new Uint8Array(4)], 'a.tar'), path: 'a.tar' };
    await store.getState().loadData([file]);
    expect(store.getState().dataQueued).toEqual([file]);
    expect(store.getState().panelErrors).toEqual({});
    expect(store.getState().dataLoading).toBe(false);
  });
  it('the class count may exceed the data, not fall below it', () => {
    const data = { classIndices: [0, 1, 2, 3, 4, 5, 6, 7] };
    expect(classCountProblem(10, null)).toBeNull();
    expect(classCountProblem(8, data)).toBeNull();
    expect(classCountProblem(12, data)).toBeNull();
    expect(classCountProblem(7, data)).toBe('Classes must be at least 8: the loaded data has 8 classes');
  });
});
