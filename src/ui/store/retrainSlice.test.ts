import { describe, expect, it } from 'vitest';
import type { SearchResultEvent } from '../../worker/protocol/index.ts';
import { createStore } from './index.ts';
import { pickedArch, RETRAIN_DEFAULT, withRetrainEvent } from './retrainSlice.ts';

describe('retrain slice', () => {
  it('applies steps and evaluations', () => {
    let v = { ...RETRAIN_DEFAULT };
    v = { ...v, ...withRetrainEvent(v, { type: 'retrainProgress', id: 1, step: 0, totalSteps: 3, loss: 1.4, acc: 0.25, lr: 0.05 }) };
    v = { ...v, ...withRetrainEvent(v, { type: 'retrainEval', id: 1, step: 1, top1: 0.5, top5: 1, loss: 1.2, images: 8 }) };
    expect(v).toMatchObject({ retrainStep: 1, retrainTotal: 3, retrainPoints: [{ step: 1, loss: 1.4, acc: 0.25 }], retrainEvals: [{ step: 1, top1: 0.5, top5: 1, loss: 1.2 }] });
  });

  it('retrains the picked subnet of the current supernet only', async () => {
    const built = [[-1, 0]];
    const top = [{ arch: [0], fitness: 1, macs: 1, params: 1 }, { arch: [-1], fitness: 0, macs: 0, params: 0 }];
    const result = { top } as unknown as SearchResultEvent;
    expect(pickedArch({ searchResult: null, searchPicked: null, searchOf: null, trainChoices: null })).toEqual({ reason: 'pick a subnet in the Search panel first' });
    expect(pickedArch({ searchResult: result, searchPicked: 1, searchOf: built, trainChoices: built })).toEqual({ arch: [-1] });
    expect(pickedArch({ searchResult: result, searchPicked: 1, searchOf: built, trainChoices: [[-1, 0]] })).toHaveProperty('reason', expect.stringMatching(/earlier supernet/));
    const store = createStore();
    await store.getState().startRetrain(); // no engine yet
    expect(store.getState().retrainStatus).toBe('failed');
    expect(store.getState().panelErrors).toEqual({ retrain: 'the engine is not ready (starting)' });
    expect(store.getState().errors).toEqual([]);
  });
});
