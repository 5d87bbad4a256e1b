// Accuracy fitness (SPOS, docs/method.md §6): a candidate's fitness is the
// top-1 of its path through the supernet on held-out batches, in inference mode, after the BN
// running statistics of that path were recalibrated on training batches: reset, then a
// cumulative (equal-weight) average of N batch statistics (isometry/calibrate.ts; SPOS's
// `get_cand_err` recalibrates the same way). The weights and BN affine parameters are the
// supernet's, untouched.
//
// Recalibration writes running statistics in place, so the scorer snapshots every BN of the
// supernet when it is created and writes the snapshot back in `dispose()`: the supernet leaves a
// search with exactly the statistics it came in with. The same training and held-out batches
// serve every candidate (uploaded once), so candidates are compared on equal data.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource } from '../data/source.ts';
import { calibrateModules, restoreBnStats, snapshotBnStats, type BnSnapshot } from '../isometry/calibrate.ts';
import type { Supernet } from '../model/supernet.ts';
import type { Arch } from '../space/types.ts';
import { batchImages, batchTensors } from '../train/batchTensors.ts';

export interface AccuracyFitnessOptions {
  /** Training batches each candidate's BN statistics are recalibrated on (reset, cumulative average). */
  calibrationBatches: number;
  /** Held-out batches top-1 is measured on (fewer when the held-out split ends first). */
  evalBatches: number;
  /** Images per batch, for both. */
  batchSize: number;
  /** Training step index of the first calibration batch (batches calibrationStep .. + N - 1). */
  calibrationStep: number;
}

/**
 * Defaults: 10 x 64 training images for the statistics, 10 x 64 held-out images for top-1 (a
 * ~2% standard error near 50% accuracy). SPOS used many more (its ImageNet numbers are in its
 * search.py); at the lab's sizes each candidate then costs 20 forward passes.
 */
export const DEFAULT_ACCURACY_FITNESS: AccuracyFitnessOptions = { calibrationBatches: 10, evalBatches: 10, batchSize: 64, calibrationStep: 0 };

export function checkAccuracyOptions(o: AccuracyFitnessOptions): void {
  for (const [k, min] of [['calibrationBatches', 1], ['evalBatches', 1], ['batchSize', 2], ['calibrationStep', 0]] as const) {
    if (!Number.isInteger(o[k]) || o[k] < min) throw new Error(`accuracy fitness: ${k} must be an integer >= ${min}, got ${String(o[k])}`);
  }
}

/** Scores architectures by recalibrated held-out top-1 on one supernet; restores it on dispose. */
export class AccuracyScorer {
  private disposed = false;

  private constructor(
    private readonly supernet: Supernet,
    private readonly calib: tf.Tensor4D[],
    private readonly evalSet: Array<{ x: tf.Tensor4D; y: tf.Tensor1D }>,
    private readonly snapshot: BnSnapshot,
    /** Held-out images top-1 is measured on. */
    readonly evalImages: number,
  ) {}

  /** Reads the batches from `source` (checked against the supernet) and snapshots its BN statistics. */
  static async create(supernet: Supernet, source: BatchSource, options: Partial<AccuracyFitnessOptions> = {}): Promise<AccuracyScorer> {
    const o = { ...DEFAULT_ACCURACY_FITNESS, ...options };
    checkAccuracyOptions(o);
    const cfg = supernet.recipe.config;
    if (source.numClasses !== cfg.numClasses) {
      throw new Error(`accuracy fitness: data "${source.name}" has ${source.numClasses} classes; the supernet has ${cfg.numClasses}`);
    }
    if (source.resolution !== cfg.resolution) {
      throw new Error(`accuracy fitness: data "${source.name}" is ${source.resolution} px; the supernet is ${cfg.resolution} px`);
    }
    const calib: tf.Tensor4D[] = [];
    const evalSet: Array<{ x: tf.Tensor4D; y: tf.Tensor1D }> = [];
    try {
      for (let i = 0; i < o.calibrationBatches; i++) {
        const b = await source.trainBatch(o.calibrationStep + i, o.batchSize);
        calib.push(batchImages(b));
      }
      let images = 0;
      for (let i = 0; i < o.evalBatches; i++) {
        const b = await source.valBatch(i, o.batchSize);
        if (!b) break;
        evalSet.push(batchTensors(b));
        images += b.size;
      }
      if (images === 0) throw new Error(`accuracy fitness: data "${source.name}" has no held-out images`);
      return new AccuracyScorer(supernet, calib, evalSet, snapshotBnStats(supernet.batchNorms.values()), images);
    } catch (e) {
      tf.dispose([...calib, ...evalSet.flatMap((b) => [b.x, b.y])]);
      throw e;
    }
  }

  /** Top-1 (fraction in [0, 1]) of `arch` after recalibrating its BN statistics. One read-back. */
  async score(arch: Arch): Promise<number> {
    if (this.disposed) throw new Error('accuracy fitness: scorer already disposed');
    const modules = this.supernet.pathModules(arch);
    calibrateModules(modules, this.calib);
    const correct = tf.tidy(() => {
      const hits = this.evalSet.map(({ x, y }) => {
        const logits = this.supernet.forward(x, arch, { training: false });
        return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
      });
      return tf.addN(hits);
    });
    const [n] = await correct.data();
    correct.dispose();
    return n / this.evalImages;
  }

  /** Writes the supernet's BN statistics back as they were at `create` and frees the batches. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    restoreBnStats(this.snapshot);
    tf.dispose([...this.calib, ...this.evalSet.flatMap((b) => [b.x, b.y])]);
  }
}
