// Live isometry: the spectra of watched modules analysed between training steps, on the step's own
// batch, at a small tile, at a cadence that keeps watching within a share of the wall time
// (cadence.ts). One watcher per training session (it holds the session's supernet).
//
// An analysis is analyseIsometry (analyse.ts) restricted to the watched (layer, candidate) pairs,
// without the depth profile, on the batch the step has just trained on, with the supernet as the
// step left it. It changes nothing of training: the BN running statistics it calibrates are
// snapshotted and restored bit for bit, it reads no parameter and no optimiser buffer for writing,
// and its sample path comes from its own derived RNG (never the sampler's); the forward passes it
// makes carry no dropout seed, so they draw nothing. A test checks the checkpoint bytes after N
// steps with and without watching.
import type * as tf from '@tensorflow/tfjs-core';
import type { Supernet } from '../model/supernet.ts';
import { analyseIsometry, defaultSamplePath } from './analyse.ts';
import { DEFAULT_HISTOGRAM } from './bins.ts';
import { DEFAULT_WATCH_SHARE, WatchCadence } from './cadence.ts';
import type { WatchKey } from './watchList.ts';
import type { WatchAnalysis, WatchFrame } from './watchSeries.ts';

/** The watch's tile: the lens's default side, a smaller Jacobian cap (J at most 256 x 256: milliseconds of eigenvalues). */
export const WATCH_TILE = 4;
export const WATCH_MAX_DIM = 256;

export interface WatcherOptions {
  /** The watched modules (watchList.ts resolveWatchList). */
  keys: WatchKey[];
  /** Largest share of wall time watching may take, in [0, 1] (default 0.1). */
  share?: number;
  /** Requested tile side (default WATCH_TILE) and cap on max(rows, cols) of J (default WATCH_MAX_DIM). */
  tile?: number;
  maxDim?: number;
  /** BN statistics of the analysis (default 'sequential': calibrated on the step's batch). */
  calibration?: 'sequential' | 'stored';
  /** Sample of the batch the tile is cut from (default 0). */
  sampleIndex?: number;
  /** Seed of the sample path (default 0, as the on-demand lens). */
  pathSeed?: number;
  now?: () => number;
}

export class SpectrumWatcher {
  readonly cadence: WatchCadence;
  readonly keys: WatchKey[];
  readonly tile: number;
  readonly maxDim: number;
  readonly analysis: WatchAnalysis;
  private readonly layers: number[];
  private readonly wanted: Set<string>;
  private readonly now: () => number;

  constructor(
    private readonly supernet: Supernet,
    opts: WatcherOptions,
  ) {
    this.cadence = new WatchCadence(opts.share ?? DEFAULT_WATCH_SHARE);
    this.tile = opts.tile ?? WATCH_TILE;
    this.maxDim = opts.maxDim ?? WATCH_MAX_DIM;
    if (!Number.isInteger(this.tile) || this.tile < 1) throw new Error(`watch tile must be an integer >= 1, got ${this.tile}`);
    if (!Number.isInteger(this.maxDim) || this.maxDim < 1) throw new Error(`watch max-dim must be an integer >= 1, got ${this.maxDim}`);
    for (const k of opts.keys) supernet.candidate(k.layer, k.choice); // throws for a module the supernet lacks
    this.keys = opts.keys.map((k) => ({ ...k }));
    this.layers = [...new Set(this.keys.map((k) => k.layer))].sort((a, b) => a - b);
    this.wanted = new Set(this.keys.map((k) => `${k.layer}:${k.choice}`));
    this.analysis = {
      hist: { ...DEFAULT_HISTOGRAM },
      calibration: opts.calibration ?? 'sequential',
      samplePath: [...defaultSamplePath(supernet, opts.pathSeed ?? 0)],
      sampleIndex: opts.sampleIndex ?? 0,
    };
    this.now = opts.now ?? (() => performance.now());
  }

  /** Reports the duration of a training step (and of the loop's other work between steps). */
  addStep(ms: number): void {
    this.cadence.addStep(ms);
  }

  /** After step `step` on `batch`: analyses when the cadence says so, else null. */
  async maybeWatch(batch: tf.Tensor4D, step: number): Promise<WatchFrame | null> {
    if (this.keys.length === 0 || !this.cadence.due()) return null;
    return this.watch(batch, step);
  }

  /** Analyses the watched modules now (the cadence is told the cost). */
  async watch(batch: tf.Tensor4D, step: number): Promise<WatchFrame> {
    const t0 = this.now();
    const res = await analyseIsometry(this.supernet, batch, {
      layers: this.layers,
      select: (l, c) => this.wanted.has(`${l}:${c}`),
      samplePath: this.analysis.samplePath,
      tile: this.tile,
      maxDim: this.maxDim,
      calibration: this.analysis.calibration,
      sampleIndex: this.analysis.sampleIndex,
      histogram: this.analysis.hist,
      depth: false,
    });
    const bins = res.modules[0]?.hist.counts.length ?? 0;
    const histCounts = new Uint32Array(res.modules.length * bins);
    const modules = res.modules.map((m, k) => {
      histCounts.set(m.hist.counts, k * bins);
      return { layer: m.layer, choice: m.choice, tile: m.tile, rows: m.rows, cols: m.cols, meanSq: m.meanSq, varSq: m.varSq, min: m.min, max: m.max, count: m.count, under: m.hist.under, over: m.hist.over };
    });
    const ms = this.now() - t0;
    this.cadence.addWatch(ms);
    return { step, analysis: { ...this.analysis, hist: { ...this.analysis.hist }, samplePath: [...this.analysis.samplePath] }, modules, histCounts, ms, share: this.cadence.measuredShare };
  }
}
