// Pure shaping of a watched module's track (src/core/isometry/watchSeries.ts) for the live
// isometry charts: the heat strip's matrix (columns = frames, thinned evenly to a pixel budget;
// rows = [under, bins..., over] of the lab's fixed log bins), where sigma^2 = 1 falls on its rows,
// the colour of a fraction, and the log10 axis of the moment curves. No DOM, no React.
import { histogramEdges, type HistogramSpec } from '../../../core/isometry/bins.ts';
import type { ModuleTrack } from '../../../core/isometry/watchSeries.ts';

export interface StripMatrix {
  /** Step of each column (0-based index of the step just taken), ascending. */
  steps: number[];
  /** Index into the track of each column's frame. */
  frames: number[];
  /** Rows per column: [under, bin 0 .. bin bins-1, over] (row 0 = under, drawn at the bottom). */
  rows: number;
  /** Fractions, column-major: values[col * rows + row]. */
  values: Float32Array;
  /** Largest fraction in the matrix (the colour bar's top; 0 when empty). */
  max: number;
}

/**
 * The strip of a track: every frame while there are at most `maxColumns`, else `maxColumns`
 * frames picked evenly (the first and the last always kept), so the strip costs the same however
 * long the run.
 */
export function stripMatrix(track: ModuleTrack, maxColumns = 160): StripMatrix {
  if (!(Number.isInteger(maxColumns) && maxColumns >= 2)) throw new Error(`stripMatrix: maxColumns must be an integer >= 2, got ${maxColumns}`);
  const n = track.steps.length;
  const frames = n <= maxColumns ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: maxColumns }, (_, k) => Math.round((k * (n - 1)) / (maxColumns - 1)));
  const rows = track.binsWithTails;
  const values = new Float32Array(frames.length * rows);
  let max = 0;
  frames.forEach((f, c) => {
    for (let r = 0; r < rows; r++) {
      const v = track.fractions[f * rows + r];
      values[c * rows + r] = v;
      if (v > max) max = v;
    }
  });
  return { steps: frames.map((f) => track.steps[f]), frames, rows, values, max };
}

/** The strip's row coordinate (0 = bottom of the under row, rows = top of the over row) of a squared singular value. */
export function rowOfValue(value: number, hist: HistogramSpec): number {
  const bins = histogramEdges(hist).length - 1;
  const l0 = Math.log10(hist.lo);
  const l1 = Math.log10(hist.hi);
  if (!(value > 0)) return 0;
  const t = (Math.log10(value) - l0) / (l1 - l0);
  return 1 + Math.min(Math.max(t, -1 / bins), 1 + 1 / bins) * bins;
}

/** Row labels of the log axis: the decades inside the bins, at their row coordinate. */
export function decadeTicks(hist: HistogramSpec): Array<{ row: number; exponent: number }> {
  const out: Array<{ row: number; exponent: number }> = [];
  for (let e = Math.ceil(Math.log10(hist.lo) - 1e-9); e <= Math.floor(Math.log10(hist.hi) + 1e-9); e++) out.push({ row: rowOfValue(10 ** e, hist), exponent: e });
  return out;
}

/** The bin label of row r: "< lo", "[a, b)", ">= hi". */
export function rowLabel(r: number, hist: HistogramSpec): string {
  const edges = histogramEdges(hist);
  const fmt = (v: number) => v.toExponential(1).replace('e+', 'e');
  if (r <= 0) return `σ² < ${fmt(edges[0])}`;
  if (r >= edges.length) return `σ² ≥ ${fmt(edges[edges.length - 1])}`;
  return `σ² in [${fmt(edges[r - 1])}, ${fmt(edges[r])})`;
}

/** Sequential colour stops (viridis, sampled): the heat strip's and the colour bar's scale. */
const STOPS: Array<[number, number, number]> = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of t in [0, 1] (clamped) as [r, g, b]. */
export function heatColor(t: number): [number, number, number] {
  const x = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(x), STOPS.length - 2);
  const f = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as [number, number, number];
}

export const cssColor = ([r, g, b]: [number, number, number]) => `rgb(${r} ${g} ${b})`;

/** log10 of the positive finite values (others NaN): the moment curves' y. */
export function log10Values(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => (x > 0 && Number.isFinite(x) ? Math.log10(x) : NaN));
}

/** "M .. L .." through the finite points only, a gap (new "M") across each NaN. */
export function gappedPath(xs: readonly number[], ys: readonly number[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  let out = '';
  let pen = false;
  xs.forEach((x, i) => {
    const y = ys[i];
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      pen = false;
      return;
    }
    out += `${out ? ' ' : ''}${pen ? 'L' : 'M'}${r(x)} ${r(y)}`;
    pen = true;
  });
  return out;
}
