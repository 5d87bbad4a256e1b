// Shared by `search` and `export`: a supernet checkpoint's identity and indicator table.
import type { SubnetSource } from '../../core/search/export.ts';
import { loadCheckpointFile } from '../checkpointFile.ts';
import { readIndicators } from '../../core/model/indicators.ts';

export interface CheckpointSource extends SubnetSource {
  /** Training steps the checkpoint has taken. */
  step: number;
}

/** Loads `path` (needs a tfjs backend), reads the indicator table, frees the supernet. */
export async function readCheckpointSource(path: string): Promise<CheckpointSource> {
  const trainer = await loadCheckpointFile(path, 'ckpt');
  try {
    const r = trainer.recipe;
    const table = await readIndicators(trainer.supernet);
    return { space: r.space, config: { ...r.config }, seed: r.seed, init: r.init, table, step: trainer.stepIndex };
  } finally {
    trainer.dispose();
  }
}
