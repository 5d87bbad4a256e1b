// BN statistics calibration, so that "BN as the affine map given by calibrated statistics" holds
// for the modules the isometry lens looks at.
//
// Rule: reset the running statistics of the BNs concerned, run N batches forward in TRAINING mode
// (each BN normalises with its batch statistics) with a collector, and set
//   running mean = mean over the N batches of the batch means,
//   running var  = mean over the N batches of the UNBIASED batch variances (count / (count - 1)),
// i.e. a cumulative (equal-weight) average instead of the momentum average of training. With one
// batch this is that batch's mean and unbiased variance. Afterwards inference mode
// (`ctx.training = false`) is the affine map y = gamma (x - mean) / sqrt(var + eps) + beta.
//
// The calibration WRITES the running statistics of the BNs it touches (in place, on the given
// supernet). Callers that must not disturb a trainer's stored statistics take a snapshot first
// and restore it afterwards (`snapshotBnStats` / `restoreBnStats`); `analyseIsometry` does so.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm, BnStatsRecord } from '../model/bn.ts';
import type { ForwardCtx, Module } from '../model/module.ts';

/** Saved running statistics of some BNs (kept tensors; `restoreBnStats` disposes them). */
export interface BnSnapshot {
  entries: Array<{ bn: BatchNorm; mean: tf.Tensor1D; variance: tf.Tensor1D }>;
}

export function snapshotBnStats(bns: Iterable<BatchNorm>): BnSnapshot {
  const entries: BnSnapshot['entries'] = [];
  for (const bn of bns) entries.push({ bn, mean: tf.clone(bn.runningMean), variance: tf.clone(bn.runningVar) });
  return { entries };
}

/** Write the snapshot back and dispose it. */
export function restoreBnStats(s: BnSnapshot): void {
  for (const e of s.entries) {
    e.bn.runningMean.assign(e.mean);
    e.bn.runningVar.assign(e.variance);
    e.mean.dispose();
    e.variance.dispose();
  }
  s.entries.length = 0;
}

/** Dispose a snapshot without restoring it. */
export function discardBnSnapshot(s: BnSnapshot): void {
  for (const e of s.entries) tf.dispose([e.mean, e.variance]);
  s.entries.length = 0;
}

/**
 * Accumulates the batch statistics that a training-mode forward hands to its collector, then
 * writes the cumulative averages into the running statistics (`finish`). Leaks nothing.
 */
export class BnCalibrator {
  private readonly acc = new Map<BatchNorm, { mean: tf.Tensor1D; variance: tf.Tensor1D; batches: number }>();

  private pending: BnStatsRecord[] = [];

  /**
   * Pass as `ForwardCtx.collect`. The record's tensors are still used by the forward pass that
   * hands them over, so they are only queued here; `flush` (after the forward) consumes them.
   */
  readonly collect = (r: BnStatsRecord): void => {
    this.pending.push(r);
  };

  /** Add the queued batch statistics to the running sums and dispose the records. */
  flush(): void {
    for (const r of this.pending) {
      const unbias = r.count > 1 ? r.count / (r.count - 1) : 1;
      const prev = this.acc.get(r.bn);
      const next = tf.tidy(() => {
        const v = tf.mul(r.variance, unbias) as tf.Tensor1D;
        return prev ? { mean: tf.add(prev.mean, r.mean) as tf.Tensor1D, variance: tf.add(prev.variance, v) as tf.Tensor1D } : { mean: tf.clone(r.mean), variance: v };
      });
      if (prev) tf.dispose([prev.mean, prev.variance]);
      this.acc.set(r.bn, { ...next, batches: (prev?.batches ?? 0) + 1 });
      tf.dispose([r.mean, r.variance]);
    }
    this.pending = [];
  }

  /** BNs seen so far. */
  get bns(): BatchNorm[] {
    return [...this.acc.keys()];
  }

  /** Set running mean / var of every BN seen to the averages; dispose the accumulators. */
  finish(): BatchNorm[] {
    this.flush();
    const seen = this.bns;
    for (const [bn, a] of this.acc) {
      tf.tidy(() => {
        bn.runningMean.assign(tf.div(a.mean, a.batches) as tf.Tensor1D);
        bn.runningVar.assign(tf.div(a.variance, a.batches) as tf.Tensor1D);
      });
      tf.dispose([a.mean, a.variance]);
    }
    this.acc.clear();
    return seen;
  }

  /** Dispose the accumulators without writing anything. */
  abort(): void {
    for (const r of this.pending) tf.dispose([r.mean, r.variance]);
    this.pending = [];
    for (const a of this.acc.values()) tf.dispose([a.mean, a.variance]);
    this.acc.clear();
  }
}

/**
 * Calibrate the BNs of a chain of modules (e.g. `supernet.pathModules(arch)`, or one candidate)
 * on a list of input batches: reset their running statistics, run every batch forward in
 * training mode with a collector, write the cumulative averages. Modules without BNs (pool,
 * classifier) are run like the rest. Returns the BNs calibrated. Writes in place: snapshot first
 * to keep the old statistics.
 */
export function calibrateModules(modules: Module[], inputs: tf.Tensor[]): BatchNorm[] {
  for (const m of modules) for (const bn of m.bns) bn.resetRunning();
  const cal = new BnCalibrator();
  const ctx: ForwardCtx = { training: true, collect: cal.collect };
  try {
    for (const x of inputs) {
      tf.tidy(() => {
        let h = x;
        for (const m of modules) h = m.forward(h, ctx);
      });
      cal.flush();
    }
  } catch (e) {
    cal.abort();
    throw e;
  }
  return cal.finish();
}
