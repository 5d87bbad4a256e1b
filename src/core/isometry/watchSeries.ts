// The watched spectra of a run over its steps: the frame one analysis produces (what the worker
// streams as a `watchSpectra` event), the compact series a run stores (IndexedDB record, run file,
// the CLI's history sidecar), the buffer that grows it per frame and cuts it back to a checkpoint,
// and the accessors a chart reads (one module's track over steps; its histogram at a step). Pure:
// no tensors, no DOM; the UI imports it as it is.
import { histogramEdges, type HistogramSpec } from './bins.ts';

/** How the watched spectra are computed; fixed for a series (docs/isometry.md, "Live watching"). */
export interface WatchAnalysis {
  /** The fixed histogram bins (bins.ts). */
  hist: HistogramSpec;
  /** BN statistics of the analysis: 'sequential' calibration on the step's batch, or the 'stored' running statistics. */
  calibration: 'sequential' | 'stored';
  /** The path whose modules produce each layer's real input (one choice per layer). */
  samplePath: number[];
  /** The sample of the step's batch the tile is cut from. */
  sampleIndex: number;
}

/** A watched module and the Jacobian it was analysed at (fixed while the tile setting is). */
export interface WatchModule {
  layer: number;
  /** Candidate (-1 = identity). */
  choice: number;
  /** Tile side used, and J's rows x cols. */
  tile: number;
  rows: number;
  cols: number;
}

/** One module's spectrum at one step. */
export interface WatchModuleFigures extends WatchModule {
  /** Mean and population variance of the squared singular values, smallest and largest. */
  meanSq: number;
  varSq: number;
  min: number;
  max: number;
  /** Number of squared singular values, min(rows, cols). */
  count: number;
  /** Values below the first edge (zeros included) and at or above the last. */
  under: number;
  over: number;
}

/** The spectra of the watched modules after one training step (the `watchSpectra` event less its type). */
export interface WatchFrame {
  /** 0-based index of the step just taken (as `trainProgress.step`); the state analysed is after its update. */
  step: number;
  analysis: WatchAnalysis;
  modules: WatchModuleFigures[];
  /** Bin counts, module by module in `modules` order, `bins` per module (bins = edges - 1). */
  histCounts: Uint32Array;
  /** Wall time of this analysis, ms. */
  ms: number;
  /** Watching's measured share of the session's wall time so far (cadence.ts). */
  share: number;
}

/**
 * A run's watched spectra, column-wise: entry e is module `modules[module[e]]` after step
 * `step[e]`. Entries are in the order analysed (step ascending; a step's modules together).
 * Size per entry: 4 (step) + 2 (module) + 4 x 4 (meanSq, varSq, min, max as float32)
 * + 2 x (bins + 2) (counts) bytes = 74 bytes with the default 24 bins.
 */
export interface WatchSeries extends WatchAnalysis {
  modules: WatchModule[];
  step: Uint32Array;
  module: Uint16Array;
  meanSq: Float32Array;
  varSq: Float32Array;
  min: Float32Array;
  max: Float32Array;
  /** (bins + 2) per entry: [under, bin 0 .. bin bins-1, over]; their sum is the entry's count. */
  counts: Uint16Array;
}

export function binCount(hist: HistogramSpec): number {
  return histogramEdges(hist).length - 1;
}

function sameAnalysis(a: WatchAnalysis, b: WatchAnalysis): boolean {
  return (
    a.hist.lo === b.hist.lo &&
    a.hist.hi === b.hist.hi &&
    a.hist.binsPerDecade === b.hist.binsPerDecade &&
    a.calibration === b.calibration &&
    a.sampleIndex === b.sampleIndex &&
    a.samplePath.length === b.samplePath.length &&
    a.samplePath.every((c, i) => c === b.samplePath[i])
  );
}

const sameModule = (a: WatchModule, b: WatchModule) => a.layer === b.layer && a.choice === b.choice && a.tile === b.tile && a.rows === b.rows && a.cols === b.cols;

export function emptyWatchSeries(analysis: WatchAnalysis): WatchSeries {
  binCount(analysis.hist); // checks the spec
  return {
    ...cloneAnalysis(analysis),
    modules: [],
    step: new Uint32Array(0),
    module: new Uint16Array(0),
    meanSq: new Float32Array(0),
    varSq: new Float32Array(0),
    min: new Float32Array(0),
    max: new Float32Array(0),
    counts: new Uint16Array(0),
  };
}

function cloneAnalysis(a: WatchAnalysis): WatchAnalysis {
  return { hist: { ...a.hist }, calibration: a.calibration, samplePath: [...a.samplePath], sampleIndex: a.sampleIndex };
}

export function watchEntries(s: WatchSeries): number {
  return s.step.length;
}

type Column = 'step' | 'module' | 'meanSq' | 'varSq' | 'min' | 'max';
const COLUMNS: Column[] = ['step', 'module', 'meanSq', 'varSq', 'min', 'max'];

/**
 * A growing series (amortised O(1) appends into typed arrays), like the live run's metrics: frames
 * are appended as they stream; `cutTo(stepsTaken)` drops what a resumed run will re-take.
 */
export class WatchBuffer {
  private s: WatchSeries;
  private n: number;
  private readonly width: number;

  constructor(initial: WatchSeries) {
    this.width = binCount(initial.hist) + 2;
    this.n = watchEntries(initial);
    const cap = Math.max(64, this.n * 2);
    this.s = { ...cloneAnalysis(initial), modules: initial.modules.map((m) => ({ ...m })), ...grown(initial, this.n, cap, this.width) };
  }

  static empty(analysis: WatchAnalysis): WatchBuffer {
    return new WatchBuffer(emptyWatchSeries(analysis));
  }

  get entries(): number {
    return this.n;
  }

  get analysis(): WatchAnalysis {
    return cloneAnalysis(this.s);
  }

  /** Steps (0-based) with a frame, ascending, each once. */
  get steps(): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.n; e++) if (out[out.length - 1] !== this.s.step[e]) out.push(this.s.step[e]);
    return out;
  }

  /**
   * Appends a frame. Its step must not precede the last one stored (cut first when re-taking steps);
   * its analysis must be the series' (a different one throws: its numbers would not compare).
   */
  append(f: WatchFrame): void {
    if (!sameAnalysis(f.analysis, this.s)) throw new Error(`watch series: frame of step ${f.step} was computed differently (${JSON.stringify(f.analysis)}) from the stored series`);
    const last = this.n > 0 ? this.s.step[this.n - 1] : -1;
    if (!Number.isInteger(f.step) || f.step < 0 || f.step < last) throw new Error(`watch series: step ${f.step} comes before the last stored step ${last}`);
    const bins = this.width - 2;
    if (f.histCounts.length !== f.modules.length * bins) throw new Error(`watch series: frame of step ${f.step} has ${f.histCounts.length} counts for ${f.modules.length} modules of ${bins} bins`);
    for (const m of f.modules) if (!(m.count <= 0xffff)) throw new Error(`watch series: module L${m.layer} c${m.choice} has ${m.count} squared singular values (at most 65535 are stored)`);
    f.modules.forEach((m, k) => {
      let idx = this.s.modules.findIndex((x) => sameModule(x, m));
      if (idx < 0) {
        if (this.s.modules.length > 0xffff) throw new Error('watch series: more than 65536 distinct modules');
        idx = this.s.modules.push({ layer: m.layer, choice: m.choice, tile: m.tile, rows: m.rows, cols: m.cols }) - 1;
      }
      if (this.n === this.s.step.length) Object.assign(this.s, grown(this.s, this.n, this.n * 2, this.width));
      const e = this.n++;
      this.s.step[e] = f.step;
      this.s.module[e] = idx;
      this.s.meanSq[e] = m.meanSq;
      this.s.varSq[e] = m.varSq;
      this.s.min[e] = m.min;
      this.s.max[e] = m.max;
      const o = e * this.width;
      this.s.counts[o] = m.under;
      for (let b = 0; b < bins; b++) this.s.counts[o + 1 + b] = f.histCounts[k * bins + b];
      this.s.counts[o + 1 + bins] = m.over;
    });
  }

  /** Keeps the frames of steps taken before a checkpoint at `stepsTaken` steps (step < stepsTaken). */
  cutTo(stepsTaken: number): void {
    while (this.n > 0 && this.s.step[this.n - 1] >= stepsTaken) this.n--;
  }

  /** Exact-length copies of the frames of steps < stepsTaken (default all). */
  series(stepsTaken = Infinity): WatchSeries {
    let k = this.n;
    while (k > 0 && this.s.step[k - 1] >= stepsTaken) k--;
    return { ...cloneAnalysis(this.s), modules: this.s.modules.map((m) => ({ ...m })), ...grown(this.s, k, k, this.width) };
  }
}

function grown(s: Pick<WatchSeries, Column | 'counts'>, keep: number, cap: number, width: number): Pick<WatchSeries, Column | 'counts'> {
  const out = {
    step: new Uint32Array(cap),
    module: new Uint16Array(cap),
    meanSq: new Float32Array(cap),
    varSq: new Float32Array(cap),
    min: new Float32Array(cap),
    max: new Float32Array(cap),
    counts: new Uint16Array(cap * width),
  };
  for (const c of COLUMNS) out[c].set(s[c].subarray(0, keep));
  out.counts.set(s.counts.subarray(0, keep * width));
  return out;
}

/** A series cut to the frames of steps < stepsTaken (a copy). */
export function cutWatchSeries(s: WatchSeries, stepsTaken: number): WatchSeries {
  return new WatchBuffer(s).series(stepsTaken);
}

/** The distinct (layer, choice) pairs of a series, layer then choice ascending, with their entry counts. */
export function watchedModules(s: WatchSeries): Array<{ layer: number; choice: number; entries: number }> {
  const byKey = new Map<string, { layer: number; choice: number; entries: number }>();
  for (let e = 0; e < watchEntries(s); e++) {
    const m = s.modules[s.module[e]];
    const key = `${m.layer}:${m.choice}`;
    const v = byKey.get(key) ?? { layer: m.layer, choice: m.choice, entries: 0 };
    v.entries++;
    byKey.set(key, v);
  }
  return [...byKey.values()].sort((a, b) => a.layer - b.layer || a.choice - b.choice);
}

/** One module over steps: the columns a heat strip and the moment curves draw. */
export interface ModuleTrack {
  layer: number;
  choice: number;
  /** The tile of the entries kept (the latest entry's tile: entries at another tile are left out). */
  tile: number;
  rows: number;
  cols: number;
  /** Steps (0-based index of the step just taken), ascending. */
  steps: Uint32Array;
  meanSq: Float32Array;
  varSq: Float32Array;
  min: Float32Array;
  max: Float32Array;
  /**
   * Fraction of the module's squared singular values per bin, `binsWithTails` per step, step-major:
   * [under, bin 0 .. bin bins-1, over]; each row sums to 1 (the heat strip's colour).
   */
  fractions: Float32Array;
  binsWithTails: number;
}

/** The track of module (layer, choice), or null when the series never watched it. */
export function moduleTrack(s: WatchSeries, layer: number, choice: number): ModuleTrack | null {
  const width = binCount(s.hist) + 2;
  const idx: number[] = [];
  for (let e = 0; e < watchEntries(s); e++) {
    const m = s.modules[s.module[e]];
    if (m.layer === layer && m.choice === choice) idx.push(e);
  }
  if (idx.length === 0) return null;
  const latest = s.modules[s.module[idx[idx.length - 1]]];
  const kept = idx.filter((e) => s.modules[s.module[e]].tile === latest.tile);
  const pick = (c: Float32Array) => Float32Array.from(kept, (e) => c[e]);
  const fractions = new Float32Array(kept.length * width);
  kept.forEach((e, i) => {
    let total = 0;
    for (let b = 0; b < width; b++) total += s.counts[e * width + b];
    for (let b = 0; b < width; b++) fractions[i * width + b] = total > 0 ? s.counts[e * width + b] / total : 0;
  });
  return {
    layer,
    choice,
    tile: latest.tile,
    rows: latest.rows,
    cols: latest.cols,
    steps: Uint32Array.from(kept, (e) => s.step[e]),
    meanSq: pick(s.meanSq),
    varSq: pick(s.varSq),
    min: pick(s.min),
    max: pick(s.max),
    fractions,
    binsWithTails: width,
  };
}

/**
 * The index into a track's steps of the frame shown for `step` (hover): the last frame at or
 * before it (the first frame for a step before every frame); -1 for an empty track.
 */
export function trackIndexAt(t: Pick<ModuleTrack, 'steps'>, step: number): number {
  const st = t.steps;
  if (st.length === 0) return -1;
  let lo = 0;
  let hi = st.length - 1;
  if (step < st[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (st[mid] <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Row i of a track's fractions ([under, bins..., over]; a view, not a copy). */
export function trackFractions(t: ModuleTrack, i: number): Float32Array {
  return t.fractions.subarray(i * t.binsWithTails, (i + 1) * t.binsWithTails);
}

/** The buffers of a series (for a transfer list), each once. */
export function watchSeriesTransfers(s: WatchSeries): ArrayBuffer[] {
  const bufs = [s.step, s.module, s.meanSq, s.varSq, s.min, s.max, s.counts].map((c) => c.buffer);
  return [...new Set(bufs)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}
