import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM } from '../isometry/bins.ts';
import { WatchBuffer, type WatchAnalysis, type WatchSeries } from '../isometry/watchSeries.ts';
import { compareCurves, compareIndicators, compareRuns, compareSpectra } from './compareRuns.ts';

const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0, 0], sampleIndex: 0 };

/** A series of module (layer, choice) frames: [step, meanSq, {bin: count}]. */
function series(frames: Array<[number, number, Record<number, number>]>, extra?: { layer: number; choice: number }): WatchSeries {
  const b = WatchBuffer.empty(ANALYSIS);
  for (const [step, meanSq, bins] of frames) {
    const keys = [{ layer: 1, choice: 0 }, ...(extra ? [extra] : [])];
    const histCounts = new Uint32Array(24 * keys.length);
    for (const [bin, n] of Object.entries(bins)) histCounts[Number(bin)] = n;
    b.append({
      step,
      analysis: ANALYSIS,
      modules: keys.map((k) => ({ ...k, tile: 2, rows: 8, cols: 8, meanSq, varSq: meanSq / 2, min: 0, max: 2 * meanSq, count: 4, under: 0, over: 0 })),
      histCounts,
      ms: 1,
      share: 0.1,
    });
  }
  return b.series();
}

describe('compareRuns (hand-computed)', () => {
  it('aligns the curves by step and averages the last common steps', () => {
    const c = compareCurves({ loss: [3, 2, 1, 0.5], acc: [0, 0.1, 0.2, 0.3] }, { loss: [4, 2, 2], acc: [0, 0.2, 0.4] }, 2);
    expect(c).toMatchObject({ stepsA: 4, stepsB: 3, common: 3, window: 2 });
    expect(c.finalLossA).toBeCloseTo(1.5, 12);
    expect(c.finalLossB).toBeCloseTo(2, 12);
    expect(c.finalAccA).toBeCloseTo(0.15, 12);
    expect(c.finalAccB).toBeCloseTo(0.3, 12);
    expect(c.meanLossDiff).toBeCloseTo(2 / 3, 12);
    expect(c.meanAccDiff).toBeCloseTo(0.1, 12);
    // unknown steps (NaN: a CLI run resumed without its history) are skipped
    expect(compareCurves({ loss: [NaN, 2], acc: [NaN, 1] }, { loss: [1, 1], acc: [1, 1] }, 5).meanLossDiff).toBe(-1);
    expect(() => compareCurves({ loss: [], acc: [] }, { loss: [], acc: [] }, 0)).toThrow('window must be an integer >= 1');
  });

  it('differences the indicator tables and averages the per-layer Kendall tau-b', () => {
    const choices = [
      [0, 1, 2],
      [-1, 0, 1, 2],
      [0, 1],
    ];
    const a = { step: 10, choices, scores: [0.1, 0.2, 0.3, 1, 2, 3, 4, 5, 6] };
    const b = { step: 12, choices, scores: [0.3, 0.2, 0.1, 1, 3, 2, 4, 7, 7] };
    const r = compareIndicators(a, b);
    if (typeof r === 'string') throw new Error(r);
    // layer 0 reversed: tau -1; layer 1: 5 concordant, 1 discordant pair of 6: 4/6; layer 2: B tied, undefined
    expect(r.tauPerLayer[0]).toBeCloseTo(-1, 12);
    expect(r.tauPerLayer[1]).toBeCloseTo(2 / 3, 12);
    expect(r.tauPerLayer[2]).toBeNaN();
    expect(r.tau).toBeCloseTo((-1 + 2 / 3) / 2, 12);
    expect(r.tauLayers).toBe(2);
    // best candidate: layer 0 differs (2 vs 0), layer 1 agrees (3), layer 2 agrees (a tie picks the first)
    expect(r.top1Agreement).toBeCloseTo(1 / 3, 12);
    [0.2, 0, -0.2, 0, 1, -1, 0, 2, 1].forEach((d, i) => expect(r.diff[i]).toBeCloseTo(d, 6));
    expect(r.diff.length).toBe(9);
    expect([r.stepA, r.stepB]).toEqual([10, 12]);
    expect(compareIndicators(a, { ...b, choices: [[0, 1, 2]] })).toContain('do not line up');
  });

  it('compares the spectra of modules both runs watched', () => {
    const a = series([
      [0, 1, { 3: 4 }],
      [5, 2, { 3: 4 }],
      [9, 4, { 3: 4 }],
    ], { layer: 2, choice: 0 });
    const b = series([
      [0, 10, { 3: 4 }],
      [4, 1, { 3: 4 }],
      [9, 0.4, { 3: 2, 5: 2 }],
    ]);
    const [s, ...rest] = compareSpectra(a, b);
    expect(rest).toEqual([]); // layer 2 only in A
    expect(s).toMatchObject({ layer: 1, choice: 0, tileA: 2, tileB: 2, framesA: 3, framesB: 3, commonSteps: 2 });
    expect(s.firstA).toEqual({ step: 0, meanSq: 1, varSq: 0.5 });
    expect(s.lastB.step).toBe(9);
    expect(s.lastB.meanSq).toBeCloseTo(0.4, 6);
    // common steps 0 and 9: log10(10 / 1) = 1 and log10(0.4 / 4) = -1
    expect(s.meanLog10MeanSqRatio).toBeCloseTo(0, 6);
    // last histograms: A all in bin 3, B half in bin 3 and half in bin 5
    expect(s.lastHistogramTV).toBeCloseTo(0.5, 7);
  });

  it('leaves out what one run lacks', () => {
    const m = { loss: [1], acc: [0] };
    const r = compareRuns({ metrics: m, indicators: null, watch: null }, { metrics: m, indicators: { step: 1, choices: [[0]], scores: [1] }, watch: series([[0, 1, {}]]) });
    expect(r.indicators).toBeNull();
    expect(r.spectra).toEqual([]);
    expect(r.curves.common).toBe(1);
  });
});
