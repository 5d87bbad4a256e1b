// The one interface training, evaluation, retraining and the isometry lens read images through:
// the built-in synthetic data and the shard pipeline (real images) both implement it, so nothing
// downstream knows which it has. Batches are plain typed arrays (NHWC float32, normalised), never
// tensors: the consumer uploads them and owns the tensors it makes.
import { syntheticBatch, type Batch, type SyntheticConfig } from './synthetic.ts';

export type { Batch } from './synthetic.ts';

export interface BatchSource {
  /** Shown in the UI and the CLI output ("synthetic", or the shard files' summary). */
  readonly name: string;
  readonly numClasses: number;
  /** Image side in pixels; every batch has this resolution. */
  readonly resolution: number;
  /** Training images in one pass (an estimate for streams; used for the epoch counter). */
  readonly trainSize: number;
  /**
   * The training batch for step `step`. Deterministic sources (synthetic) return the same batch
   * for the same step whatever ran before, so a resumed run sees the same data; streaming sources
   * may ignore `step` and return the next batch.
   */
  trainBatch(step: number, batchSize: number): Promise<Batch>;
  /**
   * Held-out batch `index` (0, 1, ...), deterministic (no augmentation). Returns null once the
   * held-out split is exhausted (a finite source), so an evaluation loops until null or a budget.
   */
  valBatch(index: number, batchSize: number): Promise<Batch | null>;
  /** Releases readers, caches and workers; the source is unusable afterwards. */
  dispose(): Promise<void>;
}

/** The built-in synthetic dataset as a BatchSource (the lab's default data). */
export function syntheticSource(cfg: SyntheticConfig): BatchSource {
  return {
    name: 'synthetic',
    numClasses: cfg.numClasses,
    resolution: cfg.resolution,
    trainSize: cfg.trainSize,
    trainBatch: (step, batchSize) => Promise.resolve(syntheticBatch(cfg, 'train', step, batchSize)),
    valBatch: (index, batchSize) =>
      Promise.resolve(index * batchSize >= cfg.valSize ? null : syntheticBatch(cfg, 'val', index, batchSize)),
    dispose: () => Promise.resolve(),
  };
}
