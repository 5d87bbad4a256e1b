import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../../core/isometry/bins.ts';
import { WatchBuffer, type WatchAnalysis, type WatchFrame } from '../../core/isometry/watchSeries.ts';
import { WatchStream } from './watchStream.ts';

const BINS = histogramEdges(DEFAULT_HISTOGRAM).length - 1;
const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0], sampleIndex: 0 };

const frame = (step: number, analysis = ANALYSIS): WatchFrame => ({
  step,
  analysis,
  modules: [{ layer: 0, choice: 0, tile: 2, rows: 4, cols: 4, meanSq: step, varSq: 0, min: 0, max: 0, count: 1, under: 0, over: 0 }],
  histCounts: Uint32Array.from({ length: BINS }, (_, i) => (i === 0 ? 1 : 0)),
  ms: 1,
  share: 0.1,
});

const stepsOf = (w: WatchStream) => Array.from(w.snapshot()?.step ?? []);

describe('WatchStream', () => {
  it('grows with streamed frames and forgets them on reset', () => {
    const w = new WatchStream();
    expect(w.snapshot()).toBeNull();
    for (const s of [0, 1, 2]) w.frame(frame(s));
    expect(stepsOf(w)).toEqual([0, 1, 2]);
    w.reset();
    expect(w.snapshot()).toBeNull();
  });

  it('puts a resumed run history under the frames that streamed before it arrived', () => {
    const stored = WatchBuffer.empty(ANALYSIS);
    for (const s of [0, 1, 2, 3]) stored.append(frame(s));
    const w = new WatchStream();
    w.frame(frame(4)); // streamed before the history (a run resumed running)
    w.frame(frame(5));
    w.history(stored.series());
    expect(stepsOf(w)).toEqual([0, 1, 2, 3, 4, 5]);
    w.frame(frame(6));
    expect(stepsOf(w)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps the live frames over a run without a stored series', () => {
    const w = new WatchStream();
    w.history(null);
    expect(w.snapshot()).toBeNull();
    w.frame(frame(7));
    w.history(null);
    expect(stepsOf(w)).toEqual([7]);
  });

  it('starts a new series when the analysis changes, saying why', () => {
    const w = new WatchStream();
    w.frame(frame(0));
    w.frame(frame(1, { ...ANALYSIS, sampleIndex: 1 }));
    expect(stepsOf(w)).toEqual([1]);
    expect(w.problem).toMatch(/computed differently/);
  });
});
