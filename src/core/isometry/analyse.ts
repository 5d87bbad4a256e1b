// The isometry lens over a supernet: for every requested (layer, candidate), the exact tile
// Jacobian at the candidate's real input (jacobian.ts), its squared singular values and their
// summary (spectrum.ts), and the depth profile of the sample path (depth.ts).
//
// Real input: the batch runs along a sample path (seeded, or given) in inference mode; the input of
// layer l is the output of the path's modules before it. Every candidate of layer l sees that same
// input. BN statistics (calibration 'sequential', the default): module by module along the path,
// each module's BNs are calibrated (calibrate.ts) on the inference-mode output of the already
// calibrated modules before it, over the calibration batches; every analysed candidate is
// calibrated the same way on its layer's input. So each BN is the affine map given by the
// statistics of the very input it sees. 'stored' uses the running statistics as they are (e.g. a
// trained checkpoint's). Every running statistic of the supernet is snapshotted first and restored
// afterwards: the analysis leaves the supernet's state unchanged.
import * as tf from '@tensorflow/tfjs-core';
import type { InitName } from '../init/index.ts';
import { Supernet } from '../model/supernet.ts';
import { type SupernetRecipe } from '../train/recipe.ts';
import type { Module } from '../model/module.ts';
import { deriveRng } from '../rng.ts';
import type { Arch } from '../space/types.ts';
import { samplePaths } from '../train/sampler.ts';
import { calibrateModules, restoreBnStats, snapshotBnStats } from './calibrate.ts';
import { depthProfile, type DepthPoint } from './depth.ts';
import { chooseTile, cropTile, DEFAULT_CHUNK_ROWS, DEFAULT_TILE, moduleJacobian } from './jacobian.ts';
import { DEFAULT_HISTOGRAM, histogram, spectrumStats, squaredSingularValues, type Histogram, type HistogramSpec, type SpectrumStats } from './spectrum.ts';

export interface IsometryOptions {
  /** Searchable layers to analyse (0-based); default all. */
  layers?: number[];
  /** Candidates to analyse where offered (-1 = identity); default every choice of the layer. */
  choices?: number[];
  /** Finer selection: analyse (layer, choice) only when this says so as well (live watching's per-layer lists). */
  select?: (layer: number, choice: number) => boolean;
  /** Requested tile side (default 4) and the cap on max(rows, cols) of J (default 1024). */
  tile?: number;
  maxDim?: number;
  /** The path that produces the real inputs; default a uniform sample from deriveRng(pathSeed, 'isometry', 'path'). */
  samplePath?: Arch;
  pathSeed?: number;
  /** Which sample of the batch the tile is cut from. */
  sampleIndex?: number;
  /** 'sequential' (default) calibrates every BN on its real input; 'stored' keeps running statistics. */
  calibration?: 'sequential' | 'stored';
  /** Batches the calibration averages over; default [batch]. */
  calibBatches?: tf.Tensor4D[];
  histogram?: HistogramSpec;
  /** Jacobian rows per backward pass. */
  chunkRows?: number;
  /** Compute the depth profile of the sample path (default true). */
  depth?: boolean;
  /** Seed of the depth profile's random cotangent. */
  depthSeed?: number;
  /**
   * Called (and awaited) after each analysed module, in order. A caller stops the analysis by
   * throwing from it: every tensor is freed and the statistics restored, and the error propagates.
   */
  onModule?: (m: ModuleSpectrum) => void | Promise<void>;
}

export interface ModuleSpectrum extends SpectrumStats {
  layer: number;
  choice: number;
  name: string;
  /** Tile side used, input / output tile shapes [h, w, c], J's rows x cols. */
  tile: number;
  inShape: number[];
  outShape: number[];
  rows: number;
  cols: number;
  hist: Histogram;
  /** Wall time of this module's Jacobian + spectrum, ms; of the Jacobian alone (backend work + read-back), ms. */
  ms: number;
  jacobianMs: number;
}

export interface IsometryResult {
  samplePath: Arch;
  calibration: 'sequential' | 'stored';
  sampleIndex: number;
  modules: ModuleSpectrum[];
  depth: DepthPoint[];
}

export function defaultSamplePath(supernet: Supernet, pathSeed = 0): Arch {
  return samplePaths(supernet.resolved.layers, 'uniform', deriveRng(pathSeed, 'isometry', 'path'))[0];
}

async function moduleSpectrum(m: Module, input: tf.Tensor4D, mapSize: number, channels: number, o: Required<Pick<IsometryOptions, 'tile' | 'maxDim' | 'sampleIndex' | 'chunkRows' | 'histogram'>>) {
  const t0 = performance.now();
  const tile = chooseTile(m, mapSize, channels, { size: o.tile, maxDim: o.maxDim });
  const crop = cropTile(input, o.sampleIndex, tile.size);
  let jac;
  try {
    jac = await moduleJacobian(m, crop, o.chunkRows);
  } finally {
    crop.dispose();
  }
  const jacobianMs = Math.round(performance.now() - t0);
  const sq = squaredSingularValues(jac.j, jac.rows, jac.cols); // plain JS: the same on every backend
  return { ...spectrumStats(sq), tile: tile.size, inShape: tile.inShape, outShape: jac.outShape, rows: jac.rows, cols: jac.cols, hist: histogram(sq, o.histogram), ms: Math.round(performance.now() - t0), jacobianMs };
}

/** Analyse candidate modules and the sample path's depth profile; leaves the supernet unchanged, leaks nothing. */
export async function analyseIsometry(supernet: Supernet, batch: tf.Tensor4D, opts: IsometryOptions = {}): Promise<IsometryResult> {
  const numLayers = supernet.numLayers;
  const layers = new Set(opts.layers ?? supernet.resolved.layers.map((l) => l.layerIdx));
  for (const l of layers) if (!Number.isInteger(l) || l < 0 || l >= numLayers) throw new Error(`layer ${l} is not in 0..${numLayers - 1}`);
  const arch = opts.samplePath ?? defaultSamplePath(supernet, opts.pathSeed ?? 0);
  const path = supernet.pathModules(arch);
  const prefixLen = supernet.resolved.prefix.length;
  const calibration = opts.calibration ?? 'sequential';
  const o = {
    tile: opts.tile ?? DEFAULT_TILE.size,
    maxDim: opts.maxDim ?? DEFAULT_TILE.maxDim,
    sampleIndex: opts.sampleIndex ?? 0,
    chunkRows: opts.chunkRows ?? DEFAULT_CHUNK_ROWS,
    histogram: opts.histogram ?? DEFAULT_HISTOGRAM,
  };
  if (o.sampleIndex < 0 || o.sampleIndex >= batch.shape[0]) throw new Error(`sample ${o.sampleIndex} is not in a batch of ${batch.shape[0]}`);
  const calibIn = opts.calibBatches ?? [batch];
  // acts[0] is the analysis batch; calibration batches follow unless one of them is the batch.
  const extra = calibIn.filter((b) => b !== batch);
  const calibIdx = calibIn.map((b) => (b === batch ? 0 : 1 + extra.indexOf(b)));
  let acts: tf.Tensor[] = [batch, ...extra];
  const owned = new Set<tf.Tensor>();
  const snapshot = snapshotBnStats(supernet.batchNorms.values());
  const modules: ModuleSpectrum[] = [];
  let depth: DepthPoint[] = [];
  const wantDepth = opts.depth ?? true;
  const lastLayer = Math.max(-1, ...layers);
  try {
    for (let i = 0; i < path.length; i++) {
      const l = i - prefixLen;
      const inputs = calibIdx.map((k) => acts[k]);
      if (l >= 0 && l < numLayers && layers.has(l)) {
        const rl = supernet.resolved.layers[l];
        const wanted = (c: number) => (!opts.choices || opts.choices.includes(c)) && (!opts.select || opts.select(l, c));
        const choices = rl.choices.filter((c) => wanted(c) || c === arch[l]);
        for (const c of choices) {
          const m = supernet.candidate(l, c);
          if (calibration === 'sequential') calibrateModules([m], inputs);
          if (!wanted(c)) continue; // calibrated only (it is on the path)
          const s = await moduleSpectrum(m, acts[0] as tf.Tensor4D, rl.inputSize, rl.cin, o);
          const done: ModuleSpectrum = { layer: l, choice: c, name: m.name, ...s };
          modules.push(done);
          await opts.onModule?.(done);
        }
      } else if (calibration === 'sequential') {
        calibrateModules([path[i]], inputs);
      }
      if (i === path.length - 1) break;
      // Without the depth profile nothing after the deepest analysed layer is needed.
      if (!wantDepth && l >= lastLayer) break;
      const next = acts.map((a) => tf.tidy(() => path[i].forward(a, { training: false })));
      for (const a of acts) if (owned.has(a)) a.dispose();
      owned.clear();
      for (const a of next) owned.add(a);
      acts = next;
    }
    if (wantDepth) depth = await depthProfile(path, batch, opts.depthSeed ?? 0);
  } finally {
    for (const a of owned) a.dispose();
    restoreBnStats(snapshot);
  }
  return { samplePath: [...arch], calibration, sampleIndex: o.sampleIndex, modules, depth };
}

export interface SpectrumSummary {
  count: number;
  /** Arithmetic and geometric mean, min and max over modules of meanSq. */
  meanSqMean: number;
  meanSqGeoMean: number;
  meanSqMin: number;
  meanSqMax: number;
  /** Std over modules of log10(meanSq): the spread of module scales (0 = all alike). */
  log10MeanSqStd: number;
  /** Mean over modules of varSq / meanSq^2: the scale-free spread within a module (0 = isometry up to scale). */
  relVarMean: number;
  /** Fraction of modules whose meanSq is within a factor 2 of 1. */
  fracNearOne: number;
}

export function summariseModules(ms: Array<Pick<ModuleSpectrum, 'meanSq' | 'varSq'>>): SpectrumSummary {
  const n = ms.length;
  const mean = (f: (m: (typeof ms)[number]) => number) => ms.reduce((a, m) => a + f(m), 0) / n;
  const logs = ms.map((m) => Math.log10(m.meanSq));
  const lm = logs.reduce((a, b) => a + b, 0) / n;
  return {
    count: n,
    meanSqMean: mean((m) => m.meanSq),
    meanSqGeoMean: 10 ** lm,
    meanSqMin: Math.min(...ms.map((m) => m.meanSq)),
    meanSqMax: Math.max(...ms.map((m) => m.meanSq)),
    log10MeanSqStd: Math.sqrt(logs.reduce((a, b) => a + (b - lm) ** 2, 0) / n),
    relVarMean: mean((m) => m.varSq / m.meanSq ** 2),
    fracNearOne: ms.filter((m) => m.meanSq >= 0.5 && m.meanSq <= 2).length / n,
  };
}

/**
 * The same space, config and seed under several initialisations, side by side: one supernet per
 * init (built, analysed on the same batch with the same options, disposed).
 */
export async function compareInits(
  recipe: SupernetRecipe,
  batch: tf.Tensor4D,
  inits: InitName[],
  opts: IsometryOptions = {},
): Promise<Array<{ init: InitName; result: IsometryResult; summary: SpectrumSummary }>> {
  const out: Array<{ init: InitName; result: IsometryResult; summary: SpectrumSummary }> = [];
  for (const init of inits) {
    const net = new Supernet({ ...recipe, init });
    try {
      const result = await analyseIsometry(net, batch, opts);
      out.push({ init, result, summary: summariseModules(result.modules) });
    } finally {
      net.dispose();
    }
  }
  return out;
}
