// Axis arithmetic of the live curves (LiveCurve.tsx): "nice" tick values (1, 2 or 5 times a power
// of ten) that cover a data range, a linear scale, and an SVG path through points. Pure.
import { bracket } from '../../core/bracket.ts';

export interface Ticks {
  /** The domain drawn: from the first tick to the last. */
  lo: number;
  hi: number;
  ticks: number[];
}

/** Ticks at a step of 1, 2 or 5 x 10^k covering [lo, hi] with at most about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`niceTicks: range [${lo}, ${hi}] is not finite`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = integer ? 1 : Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const n = Math.round((last - first) / step);
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((first + i * step).toPrecision(12)));
  // rounding for display must not pull the ends inside the data
  return { lo: Math.min(ticks[0], lo), hi: Math.max(ticks[n], hi), ticks };
}

/** Decimals that show every tick exactly (0.25 -> 2, 0.2 -> 1, 5 -> 0; at most 6). */
export function tickDecimals(ticks: readonly number[]): number {
  let d = 0;
  while (d < 6 && ticks.some((t) => Math.abs(Math.round(t * 10 ** d) - t * 10 ** d) > 1e-6)) d++;
  return d;
}

/** The linear map of [d0, d1] onto [r0, r1] (a zero-width domain maps to the middle). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const w = d1 - d0;
  return w === 0 ? () => (r0 + r1) / 2 : (v) => r0 + ((v - d0) / w) * (r1 - r0);
}

/** "M x0 y0 L x1 y1 ..." through the points, coordinates rounded to 0.1 px. */
export function linePath(xs: readonly number[], ys: readonly number[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  return xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${r(x)} ${r(ys[i])}`).join(' ');
}

/** Index of the point whose x is nearest to `x` (xs ascending, non-empty). */
export function nearestIndex(xs: readonly number[], x: number): number {
  const lo = bracket(xs, x);
  const hi = Math.min(lo + 1, xs.length - 1);
  return Math.abs(xs[hi] - x) < Math.abs(xs[lo] - x) ? hi : lo;
}
