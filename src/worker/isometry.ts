// The isometry lens in the worker: runs `analyseIsometry` (src/core/isometry) for an `isometry`
// command and packs the answer for the protocol. Either fresh supernets, one per requested
// initialisation, built from the lab's settings on the built-in synthetic data ("before
// training"), or the current session's supernet with its trained BN parameters on the session's
// data ("after training"). Streams one progress report per module; between modules it yields a
// macrotask, so an `isometryStop` message is handled there and the analysis ends after the module
// in flight. Every tensor it makes is freed; the analysed supernets' state is left unchanged.
import * as tf from '@tensorflow/tfjs-core';
import { syntheticSource, type BatchSource } from '../core/data/source.ts';
import { analyseIsometry, defaultSamplePath, type IsometryResult, type ModuleSpectrum } from '../core/isometry/analyse.ts';
import { DEFAULT_HISTOGRAM, histogramEdges } from '../core/isometry/spectrum.ts';
import { Supernet } from '../core/model/supernet.ts';
import type { Trainer } from '../core/train/trainer.ts';
import {
  CALIBRATION_NAMES,
  INIT_NAMES,
  type InitName,
  type IsometryCommand,
  type IsometryModuleFigures,
  type IsometryProgressEvent,
  type IsometryResultEvent,
  type IsometryRun,
  type TrainStateName,
} from './protocol/index.ts';
import { recipeFromSettings, syntheticDataOf, type TrainRecipe } from '../core/train/recipe.ts';
import { batchImages } from '../core/train/batchTensors.ts';
import { nextTask, type Job } from './job.ts';

export type IsometryRequest = Omit<IsometryCommand, 'type' | 'id'>;
export type IsometryOutcome = Omit<IsometryResultEvent, 'type' | 'id' | 'backend'>;
export type IsometryProgress = Omit<IsometryProgressEvent, 'type' | 'id'>;

/** What "after training" reads: the worker's TrainSession satisfies it. */
export interface TrainedSupernet {
  readonly trainer: Trainer;
  readonly source: BatchSource;
  readonly state: TrainStateName;
}

/** Thrown from the per-module hook to end the analysis (core frees everything on the way out). */
class StopRequested extends Error {}

/** Checks a request's own fields; throws an Error naming the bad one. */
export function checkIsometryRequest(r: IsometryRequest): void {
  const where = 'isometry';
  if (!r.useTrained) {
    if (r.inits.length === 0) throw new Error(`${where}: choose at least one initialisation to compare`);
    for (const i of r.inits) if (!INIT_NAMES.includes(i)) throw new Error(`${where}: init "${String(i)}" is unknown (known: ${INIT_NAMES.join(', ')})`);
  }
  if (!Number.isInteger(r.tile) || r.tile < 1) throw new Error(`${where}: tile must be an integer >= 1, got ${r.tile}`);
  for (const l of r.layers) if (!Number.isInteger(l) || l < 0) throw new Error(`${where}: layer ${l} is not a layer index (integers from 0)`);
  if (!CALIBRATION_NAMES.includes(r.calibration)) throw new Error(`${where}: calibration "${String(r.calibration)}" is unknown (known: ${CALIBRATION_NAMES.join(', ')})`);
}

interface Target {
  init: InitName;
  step: number;
  trained: boolean;
  /** The supernet to analyse, and whether this job owns (and disposes) it. */
  open: () => { net: Supernet; owned: boolean };
}

/** Packs one run's modules and depth profile into protocol form (typed arrays for the transfer). */
export function packRun(target: Omit<Target, 'open'>, samplePath: number[], modules: ModuleSpectrum[], depth: IsometryResult['depth']): IsometryRun {
  const bins = histogramEdges(DEFAULT_HISTOGRAM).length - 1;
  const histCounts = new Uint32Array(modules.length * bins);
  const figures: IsometryModuleFigures[] = modules.map((m, k) => {
    if (m.hist.counts.length !== bins) throw new Error(`isometry: module ${m.name} has ${m.hist.counts.length} bins, expected ${bins}`);
    histCounts.set(m.hist.counts, k * bins);
    return { layer: m.layer, choice: m.choice, meanSq: m.meanSq, varSq: m.varSq, min: m.min, max: m.max, count: m.count, tile: m.tile, rows: m.rows, cols: m.cols, under: m.hist.under, over: m.hist.over, ms: m.ms };
  });
  return {
    init: target.init,
    step: target.step,
    trained: target.trained,
    samplePath: [...samplePath],
    modules: figures,
    histCounts,
    depthNames: depth.map((d) => d.name),
    depthSignalVar: Float64Array.from(depth, (d) => d.signalVar),
    depthGradNorm: Float64Array.from(depth, (d) => d.gradNorm),
  };
}

/** The buffers of an outcome that can be transferred instead of copied. */
export function isometryTransfers(o: IsometryOutcome): ArrayBuffer[] {
  const bufs = [o.histEdges.buffer, ...o.runs.flatMap((r) => [r.histCounts.buffer, r.depthSignalVar.buffer, r.depthGradNorm.buffer])];
  return [...new Set(bufs)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}

/**
 * One analysis at a time; `requestStop` ends the running one after its module in flight. It runs
 * in the foreground of its command (the worker awaits its outcome), so it holds a Job (job.ts)
 * rather than a background JobSlot.
 */
export class IsometryRunner {
  private job: Job | null = null;

  constructor(private readonly yieldTask: () => Promise<void> = nextTask) {}

  get running(): boolean {
    return this.job !== null;
  }

  /** Asks the running analysis to stop; false when none is running. */
  requestStop(): boolean {
    if (this.job === null) return false;
    this.job.stopRequested = true;
    return true;
  }

  async run(req: IsometryRequest, session: TrainedSupernet | null, onProgress: (p: IsometryProgress) => void): Promise<IsometryOutcome> {
    if (this.job !== null) throw new Error('isometry: an analysis is already running (stop it first)');
    checkIsometryRequest(req);
    this.job = { id: 0, stopRequested: false, progress: '' };
    try {
      return await this.analyse(req, session, onProgress);
    } finally {
      this.job = null;
    }
  }

  private async analyse(req: IsometryRequest, session: TrainedSupernet | null, onProgress: (p: IsometryProgress) => void): Promise<IsometryOutcome> {
    let recipe: TrainRecipe;
    let source: BatchSource;
    let ownSource = false;
    let targets: Target[];
    if (req.useTrained) {
      if (session === null) throw new Error('isometry: "after training" needs a trained supernet: build and train a session first');
      if (session.state === 'running') throw new Error('isometry: pause or stop training first (the analysis reads the session\'s supernet)');
      const trainer = session.trainer;
      recipe = trainer.recipe;
      source = session.source;
      targets = [{ init: recipe.init, step: trainer.stepIndex, trained: true, open: () => ({ net: trainer.supernet, owned: false }) }];
    } else {
      recipe = recipeFromSettings(req.preset, req.settings);
      source = syntheticSource(syntheticDataOf(recipe));
      ownSource = true;
      const r = recipe;
      targets = [...new Set(req.inits)].map((init) => ({ init, step: 0, trained: false, open: () => ({ net: new Supernet({ ...r, init }), owned: true }) }));
    }
    const runs: IsometryRun[] = [];
    let stopped = false;
    let x: tf.Tensor4D | null = null;
    try {
      const b = await source.trainBatch(0, recipe.batchSize);
      x = batchImages(b);
      let done = 0;
      let total = 0;
      for (let k = 0; k < targets.length && !stopped; k++) {
        const { net, owned } = targets[k].open();
        try {
          const numLayers = net.numLayers;
          for (const l of req.layers) if (l >= numLayers) throw new Error(`isometry: layer ${l} is not in 0..${numLayers - 1} (${recipe.space} has ${numLayers} searchable layers)`);
          const layers = req.layers.length > 0 ? [...new Set(req.layers)].sort((a, c) => a - c) : net.resolved.layers.map((l) => l.layerIdx);
          const perRun = layers.reduce((a, l) => a + net.resolved.layers[l].choices.length, 0);
          if (k === 0) total = perRun * targets.length;
          const modules: ModuleSpectrum[] = [];
          // progress from the first module: a report before the run's first module, with the
          // module it starts on and meanSq NaN (nothing analysed yet), so the panel can show
          // "0 of N" while the supernet is calibrated and the sample path runs forward
          onProgress({ run: k, runs: targets.length, init: targets[k].init, done, total, layer: layers[0], choice: net.resolved.layers[layers[0]].choices[0], meanSq: Number.NaN });
          const samplePath = defaultSamplePath(net);
          let depth: IsometryResult['depth'] = [];
          try {
            const res = await analyseIsometry(net, x, {
              layers,
              samplePath,
              tile: req.tile,
              calibration: req.calibration,
              onModule: async (m) => {
                modules.push(m);
                done++;
                onProgress({ run: k, runs: targets.length, init: targets[k].init, done, total, layer: m.layer, choice: m.choice, meanSq: m.meanSq });
                await this.yieldTask(); // an isometryStop message is handled here
                if (this.job?.stopRequested) throw new StopRequested('stopped');
              },
            });
            depth = res.depth;
          } catch (e) {
            if (!(e instanceof StopRequested)) throw e;
            stopped = true;
          }
          runs.push(packRun(targets[k], samplePath, modules, depth));
        } finally {
          if (owned) net.dispose();
        }
      }
    } finally {
      x?.dispose();
      if (ownSource) await source.dispose();
    }
    return {
      stopped,
      space: recipe.space,
      resolution: recipe.config.resolution,
      widthMult: recipe.config.widthMult,
      numClasses: recipe.config.numClasses,
      seed: recipe.seed,
      batchSize: recipe.batchSize,
      calibration: req.calibration,
      histEdges: Float64Array.from(histogramEdges(DEFAULT_HISTOGRAM)),
      runs,
    };
  }
}
