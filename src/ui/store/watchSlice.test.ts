import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../../core/isometry/bins.ts';
import { WatchBuffer, type WatchAnalysis, type WatchFrame } from '../../core/isometry/watchSeries.ts';
import { DEFAULT_WATCH_SETTINGS, type WatchConfigEvent } from '../../worker/protocol/index.ts';
import { createStore } from './index.ts';

const BINS = histogramEdges(DEFAULT_HISTOGRAM).length - 1;
const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0, 0], sampleIndex: 0 };
const frame = (step: number): WatchFrame => ({
  step,
  analysis: ANALYSIS,
  modules: [{ layer: 1, choice: 0, tile: 2, rows: 4, cols: 4, meanSq: 1, varSq: 0, min: 1, max: 1, count: 2, under: 0, over: 0 }],
  histCounts: Uint32Array.from({ length: BINS }, (_, i) => (i === 16 ? 2 : 0)),
  ms: 1,
  share: 0.25,
});
const config: WatchConfigEvent = { type: 'watchConfig', id: null, settings: { ...DEFAULT_WATCH_SETTINGS }, modules: [{ layer: 1, choice: 0 }] };
const nextFrames = () => new Promise((r) => setTimeout(r, 40));

describe('watch slice', () => {
  it('applies streamed frames once a frame, restores a resumed history and starts afresh with a new session', async () => {
    const store = createStore();
    const { receiveWatch } = store.getState();
    receiveWatch(config);
    expect(store.getState().watchModules).toEqual([{ layer: 1, choice: 0 }]);
    receiveWatch({ type: 'watchSpectra', ...frame(0) });
    receiveWatch({ type: 'watchSpectra', ...frame(1) });
    expect(store.getState().watchSeries).toBeNull(); // not before the next frame
    await nextFrames();
    expect(Array.from(store.getState().watchSeries?.step ?? [])).toEqual([0, 1]);
    expect(store.getState().watchShare).toBe(0.25);

    receiveWatch(config); // a resumed session: its stored series, then live frames
    expect(store.getState().watchSeries).toBeNull();
    const stored = WatchBuffer.empty(ANALYSIS);
    for (const s of [0, 1, 2]) stored.append(frame(s));
    receiveWatch({ type: 'watchHistory', id: 3, runId: 'r', series: stored.series() });
    receiveWatch({ type: 'watchSpectra', ...frame(3) });
    await nextFrames();
    expect(Array.from(store.getState().watchSeries?.step ?? [])).toEqual([0, 1, 2, 3]);
  });

  it('names a watch list that does not fit the built supernet and does not send it', async () => {
    const store = createStore();
    store.setState({ trainChoices: [[-1, 0], [0, 1]] });
    await store.getState().setWatchText('5');
    expect(store.getState().watchTextProblem).toMatch(/layer 5 is not in 0\.\.1/);
    await store.getState().setWatchText('1:0');
    expect(store.getState().watchTextProblem).toBeNull();
    expect(store.getState().errors).toEqual([]);
  });
});
