// The benchmark's live-isometry figure: training steps with the default watch (every candidate of
// three layers spread over the depth, tile 4, J <= 256 x 256) at the default 10 % cadence, on the
// trainer the step benchmark has just trained, and the share of wall time the watching took. The
// first analysis is unconditional (the cadence has no cost estimate before it), so the share is
// also given from the end of the first analysis on. No Node APIs: the browser worker runs it too.
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_WATCH_SHARE } from '../src/core/isometry/cadence.ts';
import { resolveWatchList } from '../src/core/isometry/watchList.ts';
import { SpectrumWatcher, WATCH_MAX_DIM, WATCH_TILE } from '../src/core/isometry/watcher.ts';
import type { Trainer } from '../src/core/train/trainer.ts';
import type { Clock } from './stepBench.ts';

/** Training steps of the watch figure (the trainer's own sampler; the bench's BN-only trainer takes one path a step). */
export const WATCH_BENCH_STEPS = 30;

export interface WatchTiming {
  steps: number;
  /** Analyses made, modules per analysis, each analysis's wall time (ms). */
  watches: number;
  modules: number;
  analysisMs: number[];
  targetShare: number;
  tile: number;
  maxDim: number;
  /** Wall time of the whole run and of its analyses (ms); share = watchMs / totalMs. */
  totalMs: number;
  watchMs: number;
  share: number;
  /** The share from the end of the first analysis to the end of the run (null with a single analysis... or none). */
  shareAfterFirst: number | null;
}

/** `steps` training steps on `batch` (labels 0: the cost does not depend on them) with the default watch. */
export async function timeWatch(trainer: Trainer, batch: tf.Tensor4D, steps: number, clock: Clock): Promise<WatchTiming> {
  const keys = resolveWatchList('default', trainer.supernet.resolved.layers.map((l) => [...l.choices]));
  const watcher = new SpectrumWatcher(trainer.supernet, { keys, share: DEFAULT_WATCH_SHARE, now: clock });
  const labels = tf.zeros([batch.shape[0]], 'int32') as tf.Tensor1D;
  const analysisMs: number[] = [];
  let watchMs = 0;
  let firstEnd: number | null = null;
  let modules = 0;
  const t0 = clock();
  try {
    let tEnd = t0;
    for (let k = 0; k < steps; k++) {
      await trainer.step(batch, labels);
      watcher.addStep(clock() - tEnd);
      const w0 = clock();
      const f = await watcher.maybeWatch(batch, k);
      tEnd = clock();
      if (f) {
        watchMs += tEnd - w0;
        analysisMs.push(f.ms);
        modules = f.modules.length;
        firstEnd ??= tEnd;
      }
    }
  } finally {
    labels.dispose();
  }
  const totalMs = clock() - t0;
  const after = firstEnd === null || analysisMs.length < 2 ? null : (watchMs - analysisMs[0]) / (t0 + totalMs - firstEnd);
  return { steps, watches: analysisMs.length, modules, analysisMs, targetShare: DEFAULT_WATCH_SHARE, tile: WATCH_TILE, maxDim: WATCH_MAX_DIM, totalMs, watchMs, share: watchMs / totalMs, shareAfterFirst: after };
}
