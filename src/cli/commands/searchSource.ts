// Shared by `search` and `export`: a supernet checkpoint's identity and indicator table.
import { readFileSync } from 'node:fs';
import type { SubnetSource } from '../../core/search/export.ts';
import { loadCheckpoint } from '../../core/train/checkpoint.ts';
import { UsageError } from '../args.ts';

export interface CheckpointSource extends SubnetSource {
  /** Training steps the checkpoint has taken. */
  step: number;
}

/** Loads `path` (needs a tfjs backend), reads the indicator table, frees the supernet. */
export async function readCheckpointSource(path: string): Promise<CheckpointSource> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`--ckpt: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const trainer = loadCheckpoint(bytes, path);
  try {
    const r = trainer.recipe;
    const table = await trainer.supernet.indicators();
    return { space: r.space, config: { ...r.config }, seed: r.seed, init: r.init, table, step: trainer.stepIndex };
  } finally {
    trainer.dispose();
  }
}
