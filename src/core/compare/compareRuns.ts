// Two training runs side by side (docs/isometry.md, "Comparing two runs"): their loss and top-1
// curves aligned by step, their indicator tables and the difference, the Kendall tau between their
// per-layer candidate rankings, and the watched spectra of the modules both watched. Pure numbers
// over stored data (no tensors, no DOM): the worker's `runCompare`, the CLI's `compare` and the UI
// all use it.
import type { IndicatorSnapshot } from '../model/indicatorTable.ts';
import { kendallTauB } from '../search/rankcorr.ts';
import { moduleTrack, trackFractions, watchedModules, type ModuleTrack, type WatchSeries } from '../isometry/watchSeries.ts';

export interface ComparedRunData {
  /** Per-step loss and top-1 (entry i = step i; NaN where unknown). */
  metrics: { loss: ArrayLike<number>; acc: ArrayLike<number> };
  indicators: IndicatorSnapshot | null;
  watch: WatchSeries | null;
}

export interface CompareOptions {
  /** Steps the final loss / top-1 average over, at the end of the common steps (default 10). */
  window?: number;
}

export const DEFAULT_COMPARE_WINDOW = 10;

export interface CurveComparison {
  /** Steps each run recorded, and the common steps 0..common-1 the figures below use. */
  stepsA: number;
  stepsB: number;
  common: number;
  /** Steps averaged for the final figures: the last min(window, common) common steps. */
  window: number;
  finalLossA: number;
  finalLossB: number;
  finalAccA: number;
  finalAccB: number;
  /** Mean over the common steps of B - A (NaN entries skipped). */
  meanLossDiff: number;
  meanAccDiff: number;
}

export interface IndicatorComparison {
  stepA: number;
  stepB: number;
  choices: number[][];
  /** B - A, flattened as the scores. */
  diff: Float32Array;
  /** Per layer: Kendall's tau-b between A's and B's scores of the layer's candidates (identity included); NaN when undefined. */
  tauPerLayer: number[];
  /** Unweighted mean of the defined per-layer taus (NaN when none is defined), and how many there were. */
  tau: number;
  tauLayers: number;
  /** Fraction of layers whose best-scored candidate is the same in both runs. */
  top1Agreement: number;
}

export interface SpectrumEnd {
  step: number;
  meanSq: number;
  varSq: number;
}

export interface SpectrumComparison {
  layer: number;
  choice: number;
  /** Tiles of the two tracks (the latest tile of each run); the numbers below compare across them when they differ. */
  tileA: number;
  tileB: number;
  framesA: number;
  framesB: number;
  firstA: SpectrumEnd;
  firstB: SpectrumEnd;
  lastA: SpectrumEnd;
  lastB: SpectrumEnd;
  /** Steps both runs analysed, and the mean over them of log10(meanSq B / meanSq A) (NaN when none). */
  commonSteps: number;
  meanLog10MeanSqRatio: number;
  /** Total variation distance (half the L1 distance, in [0, 1]) between the last histograms, tails included. */
  lastHistogramTV: number;
}

export interface RunComparison {
  curves: CurveComparison;
  /** null when either run has no table; a string when the tables do not line up (different spaces). */
  indicators: IndicatorComparison | string | null;
  /** Modules watched in both runs, layer then candidate ascending. */
  spectra: SpectrumComparison[];
}

function nanMean(values: number[]): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : NaN;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

export function compareCurves(a: ComparedRunData['metrics'], b: ComparedRunData['metrics'], window = DEFAULT_COMPARE_WINDOW): CurveComparison {
  if (!Number.isInteger(window) || window < 1) throw new Error(`compare: window must be an integer >= 1, got ${window}`);
  const common = Math.min(a.loss.length, b.loss.length);
  const w = Math.min(window, common);
  const tail = range(common - w, common);
  const all = range(0, common);
  return {
    stepsA: a.loss.length,
    stepsB: b.loss.length,
    common,
    window: w,
    finalLossA: nanMean(tail.map((i) => a.loss[i])),
    finalLossB: nanMean(tail.map((i) => b.loss[i])),
    finalAccA: nanMean(tail.map((i) => a.acc[i])),
    finalAccB: nanMean(tail.map((i) => b.acc[i])),
    meanLossDiff: nanMean(all.map((i) => b.loss[i] - a.loss[i])),
    meanAccDiff: nanMean(all.map((i) => b.acc[i] - a.acc[i])),
  };
}

function argmax(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

export function compareIndicators(a: IndicatorSnapshot, b: IndicatorSnapshot): IndicatorComparison | string {
  const same = a.choices.length === b.choices.length && a.choices.every((cs, l) => cs.length === b.choices[l].length && cs.every((c, i) => c === b.choices[l][i]));
  if (!same) return `the indicator tables do not line up (${a.choices.length} layers against ${b.choices.length}, or other candidates): compare runs of one space`;
  const total = a.choices.reduce((n, cs) => n + cs.length, 0);
  if (a.scores.length !== total || b.scores.length !== total) throw new Error(`compare: indicator tables hold ${a.scores.length} and ${b.scores.length} scores for ${total} candidates`);
  const diff = new Float32Array(total);
  for (let i = 0; i < total; i++) diff[i] = b.scores[i] - a.scores[i];
  const taus: number[] = [];
  let agree = 0;
  let at = 0;
  for (const cs of a.choices) {
    const xa = range(at, at + cs.length).map((i) => a.scores[i]);
    const xb = range(at, at + cs.length).map((i) => b.scores[i]);
    at += cs.length;
    taus.push(xa.every(Number.isFinite) && xb.every(Number.isFinite) ? kendallTauB(xa, xb) : NaN);
    if (argmax(xa) === argmax(xb)) agree++;
  }
  const defined = taus.filter((t) => !Number.isNaN(t));
  return {
    stepA: a.step,
    stepB: b.step,
    choices: a.choices.map((cs) => [...cs]),
    diff,
    tauPerLayer: taus,
    tau: defined.length > 0 ? defined.reduce((s, t) => s + t, 0) / defined.length : NaN,
    tauLayers: defined.length,
    top1Agreement: a.choices.length > 0 ? agree / a.choices.length : NaN,
  };
}

const end = (t: ModuleTrack, i: number): SpectrumEnd => ({ step: t.steps[i], meanSq: t.meanSq[i], varSq: t.varSq[i] });

export function compareSpectra(a: WatchSeries, b: WatchSeries): SpectrumComparison[] {
  const inB = new Set(watchedModules(b).map((m) => `${m.layer}:${m.choice}`));
  const out: SpectrumComparison[] = [];
  for (const { layer, choice } of watchedModules(a)) {
    if (!inB.has(`${layer}:${choice}`)) continue;
    const ta = moduleTrack(a, layer, choice) as ModuleTrack;
    const tb = moduleTrack(b, layer, choice) as ModuleTrack;
    const stepsB = new Map(Array.from(tb.steps, (s, i) => [s, i]));
    const ratios: number[] = [];
    ta.steps.forEach((s, i) => {
      const j = stepsB.get(s);
      if (j !== undefined) ratios.push(Math.log10(tb.meanSq[j] / ta.meanSq[i]));
    });
    const la = ta.steps.length - 1;
    const lb = tb.steps.length - 1;
    const fa = trackFractions(ta, la);
    const fb = trackFractions(tb, lb);
    let tv = 0;
    for (let k = 0; k < fa.length; k++) tv += Math.abs(fa[k] - (fb[k] ?? 0));
    out.push({
      layer,
      choice,
      tileA: ta.tile,
      tileB: tb.tile,
      framesA: ta.steps.length,
      framesB: tb.steps.length,
      firstA: end(ta, 0),
      firstB: end(tb, 0),
      lastA: end(ta, la),
      lastB: end(tb, lb),
      commonSteps: ratios.length,
      meanLog10MeanSqRatio: ratios.length > 0 ? nanMean(ratios) : NaN,
      lastHistogramTV: fa.length === fb.length ? tv / 2 : NaN,
    });
  }
  return out;
}

/** The comparison of run B against run A (differences are B - A). */
export function compareRuns(a: ComparedRunData, b: ComparedRunData, opts: CompareOptions = {}): RunComparison {
  return {
    curves: compareCurves(a.metrics, b.metrics, opts.window ?? DEFAULT_COMPARE_WINDOW),
    indicators: a.indicators && b.indicators ? compareIndicators(a.indicators, b.indicators) : null,
    spectra: a.watch && b.watch ? compareSpectra(a.watch, b.watch) : [],
  };
}
