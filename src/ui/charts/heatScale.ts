// The indicator heatmap's colour scales (pure). Each cell of the table s(l, c) gets a position
// t in [0, 1] on the sequential colour map, or null when the candidate was never trained:
// - linear: (s - lo) / (hi - lo) over the trained cells of the whole table;
// - log:    the same on log10 s (scores are mean |gamma| >= 0; a zero is drawn at the bottom);
// - rank:   the cell's rank among the layer's trained cells, 0 (lowest) to 1 (highest), ties
//           sharing their mean rank; a layer with one trained cell sits in the middle.
// Never trained: every BN gamma starts at exactly 1, a parameter without a gradient is left alone
// and BN parameters have no weight decay (src/core/train/optimizer.ts), so a candidate no path has
// used still scores exactly 1; any step through it moves its gamma (docs/app.md, "Charts").
import { formatSig } from '../format/numbers.ts';

export const HEAT_SCALES = ['linear', 'log', 'rank'] as const;
export type HeatScale = (typeof HEAT_SCALES)[number];

/** The score of a candidate whose indicator BN has never had a gradient (gamma all ones). */
export const UNTRAINED_SCORE = 1;

export function isUntrained(score: number): boolean {
  return score === UNTRAINED_SCORE;
}

export interface HeatLayout {
  /** Per layer, the choices it offers (the scores are flattened in this order). */
  choices: readonly (readonly number[])[];
  scores: ArrayLike<number>;
}

export interface HeatPositions {
  /** Per flattened cell: position on the colour map in [0, 1], or null (never trained). */
  t: (number | null)[];
  /** The range of the trained scores the linear and log scales span (null: no trained cell). */
  lo: number | null;
  hi: number | null;
  untrained: number;
}

/** Positions of every cell on the colour map under `scale`. */
export function heatPositions(layout: HeatLayout, scale: HeatScale): HeatPositions {
  const n = layout.scores.length;
  const total = layout.choices.reduce((a, c) => a + c.length, 0);
  if (total !== n) throw new Error(`heatPositions: ${n} scores for ${total} cells`);
  const trained = (i: number) => Number.isFinite(layout.scores[i]) && !isUntrained(layout.scores[i]);
  let lo = Infinity;
  let hi = -Infinity;
  let untrained = 0;
  for (let i = 0; i < n; i++) {
    if (!trained(i)) {
      untrained++;
      continue;
    }
    lo = Math.min(lo, layout.scores[i]);
    hi = Math.max(hi, layout.scores[i]);
  }
  const t: (number | null)[] = new Array(n).fill(null);
  const any = lo <= hi;
  if (scale === 'rank') {
    let k = 0;
    for (const c of layout.choices) {
      const idx = c.map((_, j) => k + j).filter(trained);
      for (const i of idx) t[i] = idx.length === 1 ? 0.5 : (rankOf(layout.scores, idx, i) - 1) / (idx.length - 1);
      k += c.length;
    }
  } else if (any) {
    let minPos = Infinity;
    for (let i = 0; i < n; i++) if (trained(i) && layout.scores[i] > 0) minPos = Math.min(minPos, layout.scores[i]);
    const f = scale === 'log' ? logOf(minPos) : (v: number) => v;
    const a = f(lo);
    const b = f(hi);
    for (let i = 0; i < n; i++) if (trained(i)) t[i] = b > a ? clamp01((f(layout.scores[i]) - a) / (b - a)) : 0.5;
  }
  return { t, lo: any ? lo : null, hi: any ? hi : null, untrained };
}

/** 1-based rank of cell i among the cells idx (ties: the mean of their ranks). */
function rankOf(scores: ArrayLike<number>, idx: readonly number[], i: number): number {
  let below = 0;
  let equal = 0;
  for (const j of idx) {
    if (scores[j] < scores[i]) below++;
    else if (scores[j] === scores[i]) equal++;
  }
  return below + (equal + 1) / 2;
}

/** log10, with zeros drawn at the smallest positive score's log (all zero: one value). */
function logOf(minPositive: number): (v: number) => number {
  const floor = Number.isFinite(minPositive) ? minPositive : 1;
  return (v) => Math.log10(Math.max(v, floor));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/**
 * Labels along the colour bar for `scale`: value ticks at their position t in [0, 1]. linear:
 * lo, middle, hi; log: lo, geometric middle, hi; rank: "lowest" / "highest in the layer".
 */
export function colourBarTicks(scale: HeatScale, lo: number | null, hi: number | null): { t: number; value: number | null; label?: string }[] {
  if (scale === 'rank') return [{ t: 0, value: null, label: 'lowest in its layer' }, { t: 1, value: null, label: 'highest in its layer' }];
  if (lo === null || hi === null) return [];
  if (hi === lo) return [{ t: 0.5, value: lo }];
  const mid = scale === 'log' && lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
  return [
    { t: 0, value: lo },
    { t: 0.5, value: mid },
    { t: 1, value: hi },
  ];
}

/**
 * The colour bar's value labels: 3 significant figures, more (up to 7) where fewer would show two
 * different values as the same text (scores after a few steps differ in the 4th digit).
 */
export function colourBarLabels(values: readonly number[]): string[] {
  let digits = 3;
  for (; digits < 7; digits++) {
    const text = values.map((v) => formatSig(v, digits));
    if (values.every((v, i) => values.every((w, j) => v === w || text[i] !== text[j]))) break;
  }
  return values.map((v) => formatSig(v, digits));
}
