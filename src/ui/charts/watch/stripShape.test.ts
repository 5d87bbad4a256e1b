import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../../../core/isometry/bins.ts';
import { moduleTrack, WatchBuffer, type WatchAnalysis, type WatchFrame } from '../../../core/isometry/watchSeries.ts';
import { decadeTicks, gappedPath, heatColor, log10Values, rowLabel, rowOfValue, stripMatrix } from './stripShape.ts';

const ANALYSIS: WatchAnalysis = { hist: { ...DEFAULT_HISTOGRAM }, calibration: 'sequential', samplePath: [0, 1], sampleIndex: 0 };
const BINS = histogramEdges(DEFAULT_HISTOGRAM).length - 1;

/** One module (layer 2, choice 1) with 8 values: `inBin` of them in bin (step mod BINS), the rest under the lowest edge. */
function frame(step: number, inBin: number): WatchFrame {
  const histCounts = new Uint32Array(BINS);
  histCounts[step % BINS] = inBin;
  return {
    step,
    analysis: ANALYSIS,
    modules: [{ layer: 2, choice: 1, tile: 4, rows: 8, cols: 8, meanSq: step + 1, varSq: 0, min: 0, max: 1, count: 8, under: 8 - inBin, over: 0 }],
    histCounts,
    ms: 1,
    share: 0.05,
  };
}

function track(steps: number[], inBin = 6) {
  const b = WatchBuffer.empty(ANALYSIS);
  for (const s of steps) b.append(frame(s, inBin));
  const t = moduleTrack(b.series(), 2, 1);
  if (t === null) throw new Error('no track');
  return t;
}

describe('stripMatrix', () => {
  it('puts each frame in a column, rows [under, bins, over], fractions of the module count', () => {
    const m = stripMatrix(track([0, 2, 5]));
    expect(m.steps).toEqual([0, 2, 5]);
    expect(m.rows).toBe(BINS + 2);
    // column 1 = step 2: 6 of 8 values in bin 2 (row 3), 2 of 8 under (row 0)
    const col = Array.from(m.values.subarray(m.rows, 2 * m.rows));
    expect(col[0]).toBeCloseTo(2 / 8, 7);
    expect(col[3]).toBeCloseTo(6 / 8, 7);
    expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(m.max).toBeCloseTo(6 / 8, 7);
  });

  it('thins a long track evenly, keeping the first and last frames', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => i);
    const m = stripMatrix(track(steps), 11);
    expect(m.steps.length).toBe(11);
    expect(m.steps[0]).toBe(0);
    expect(m.steps[10]).toBe(999);
    expect(m.frames).toEqual([0, 100, 200, 300, 400, 500, 599, 699, 799, 899, 999]);
    // each kept column is its own frame's histogram (bin step mod BINS)
    const c = 5;
    expect(m.values[c * m.rows + 1 + (m.steps[c] % BINS)]).toBeCloseTo(6 / 8, 7);
    expect(() => stripMatrix(track([0]), 1)).toThrow(/maxColumns/);
  });
});

describe('rows of the log axis', () => {
  it('places sigma^2 = 1 at the edge between its bins (4 bins per decade from 1e-4)', () => {
    // 1 is 4 decades above 1e-4: 16 bins, plus the under row
    expect(rowOfValue(1, DEFAULT_HISTOGRAM)).toBeCloseTo(17, 9);
    expect(rowOfValue(1e-4, DEFAULT_HISTOGRAM)).toBeCloseTo(1, 9);
    expect(rowOfValue(1e2, DEFAULT_HISTOGRAM)).toBeCloseTo(1 + BINS, 9);
    expect(rowOfValue(0, DEFAULT_HISTOGRAM)).toBe(0);
    expect(decadeTicks(DEFAULT_HISTOGRAM).map((d) => d.exponent)).toEqual([-4, -3, -2, -1, 0, 1, 2]);
    expect(rowLabel(0, DEFAULT_HISTOGRAM)).toMatch(/< 1\.0e-4/);
    expect(rowLabel(BINS + 1, DEFAULT_HISTOGRAM)).toMatch(/≥ 1\.0e2/);
  });
});

describe('colour and curves', () => {
  it('maps [0, 1] onto the colour stops, clamped', () => {
    expect(heatColor(0)).toEqual([68, 1, 84]);
    expect(heatColor(1)).toEqual([253, 231, 37]);
    expect(heatColor(2)).toEqual(heatColor(1));
    expect(heatColor(NaN)).toEqual(heatColor(0));
    // halfway between stops 2 (33,145,140) and 3 (94,201,98) at t = 0.625
    expect(heatColor(0.625)).toEqual([64, 173, 119]);
  });

  it('takes log10 of positive values and breaks the path at the others', () => {
    expect(log10Values([100, 0, -1, 0.001])).toEqual([2, NaN, NaN, -3]);
    expect(gappedPath([0, 1, 2, 3], [5, NaN, 7, 8])).toBe('M0 5 M2 7 L3 8');
  });
});
