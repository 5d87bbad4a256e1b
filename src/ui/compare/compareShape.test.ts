import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../../core/isometry/bins.ts';
import { moduleTrack, WatchBuffer, type WatchAnalysis } from '../../core/isometry/watchSeries.ts';
import { alignTracks, decodeCompare, encodeCompare, overlayCurves } from './compareShape.ts';

const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0], sampleIndex: 0 };
const BINS = histogramEdges(DEFAULT_HISTOGRAM).length - 1;

function trackAt(steps: number[], meanSq: (s: number) => number) {
  const b = WatchBuffer.empty(ANALYSIS);
  for (const step of steps)
    b.append({
      step,
      analysis: ANALYSIS,
      modules: [{ layer: 0, choice: -1, tile: 2, rows: 4, cols: 4, meanSq: meanSq(step), varSq: 2 * meanSq(step), min: 0, max: 1, count: 4, under: 0, over: 0 }],
      histCounts: Uint32Array.from({ length: BINS }, (_, i) => (i === 3 ? 4 : 0)),
      ms: 1,
      share: 0.1,
    });
  return moduleTrack(b.series(), 0, -1);
}

describe('overlayCurves', () => {
  it('puts both runs on the union of their steps, NaN past the shorter', () => {
    const o = overlayCurves([3, 2, 1], [9, 8, 7, 6, 5]);
    expect(o.steps).toEqual([1, 2, 3, 4, 5]);
    expect(o.a).toEqual([3, 2, 1, NaN, NaN]);
    expect(o.b).toEqual([9, 8, 7, 6, 5]);
  });

  it('thins evenly and keeps the last step', () => {
    const a = Float32Array.from({ length: 1001 }, (_, i) => i);
    const o = overlayCurves(a, [], 100);
    expect(o.steps[0]).toBe(1);
    expect(o.steps[o.steps.length - 1]).toBe(1001);
    expect(o.steps[1] - o.steps[0]).toBe(11);
    expect(o.a.every((v, k) => v === o.steps[k] - 1)).toBe(true);
    expect(o.b.every(Number.isNaN)).toBe(true);
  });
});

describe('alignTracks', () => {
  it('aligns two runs watched at different steps on the union of steps', () => {
    const a = trackAt([0, 2, 4], (s) => s + 1);
    const b = trackAt([0, 3, 4], (s) => 10 * (s + 1));
    const al = alignTracks(a, b);
    expect(al.steps).toEqual([0, 2, 3, 4]);
    expect(al.frameA).toEqual([0, 1, -1, 2]);
    expect(al.frameB).toEqual([0, -1, 1, 2]);
    expect(al.meanSqA).toEqual([1, 3, NaN, 5]);
    expect(al.meanSqB).toEqual([10, NaN, 40, 50]);
    expect(al.varSqB).toEqual([20, NaN, 80, 100]);
  });

  it('takes a run that never watched the module as all gaps', () => {
    const al = alignTracks(null, trackAt([1], () => 2));
    expect(al.steps).toEqual([1]);
    expect(al.meanSqA).toEqual([NaN]);
    expect(al.meanSqB).toEqual([2]);
  });
});

describe('compare URL', () => {
  it('round-trips the selection and keeps other parameters', () => {
    const search = encodeCompare({ runA: 'r1', runB: 'r2', layer: 3, choice: -1 }, '?preset=tiny&watch=3');
    const q = new URLSearchParams(search);
    expect(q.get('preset')).toBe('tiny');
    expect(q.get('watch')).toBe('3');
    expect(decodeCompare(search)).toEqual({ runA: 'r1', runB: 'r2', layer: 3, choice: -1 });
    expect(new URLSearchParams(encodeCompare({ runA: null, runB: 'r2', layer: null, choice: null }, search)).has('cmpA')).toBe(false);
  });

  it('ignores malformed numbers', () => {
    expect(decodeCompare('?cmpLayer=x&cmpChoice=-2')).toEqual({ runA: null, runB: null, layer: null, choice: null });
  });
});
