// Kernel census of the training step: tf.profile of one BN-only one-path step and one fair step
// (m paths) on the active backend, counted by kernel name, with fused BN training off ("before")
// and on ("after"; where the backend has no fused kernels the two are the same). tf.profile counts
// the engine's kernels (one per op dispatched), which depend on the path and the backend, not on
// the batch size or the resolution: the census runs at CENSUS_OVERRIDE (8 px, batch 4) to be quick
// on software adapters. No Node APIs.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { fusedBnActive, setFusedBn, type FusedBnMode } from '../src/core/model/fused/bnTrain.ts';
import type { Arch } from '../src/core/space/types.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths } from './stepBench.ts';

export interface KernelCount {
  total: number;
  /** Kernel name -> count, most frequent first. */
  byName: Record<string, number>;
}

export interface CensusSide {
  fusedBn: FusedBnMode;
  /** Whether the fused kernels actually ran (lever on and the backend has them). */
  fusedActive: boolean;
  bnOnlyStep: KernelCount;
  fairStep: KernelCount;
}

export interface CensusResult {
  backend: string;
  pathsPerFairStep: number;
  /** [off, on]. */
  sides: CensusSide[];
}

/** The census's recipe override: same kernels as the preset, fewer pixels. */
export const CENSUS_OVERRIDE = { config: { resolution: 8 }, batchSize: 4 };

async function count(trainer: Trainer, x: tf.Tensor4D, y: tf.Tensor1D, paths: Arch[]): Promise<KernelCount> {
  const info = await tf.profile(async () => {
    await trainer.step(x, y, paths);
    return [];
  });
  const byName: Record<string, number> = {};
  for (const k of info.kernels) byName[k.name] = (byName[k.name] ?? 0) + 1;
  const sorted = Object.entries(byName).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: info.kernels.length, byName: Object.fromEntries(sorted) };
}

export async function runCensus(recipe: TrainRecipe, onProgress?: (line: string) => void): Promise<CensusResult> {
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  const { x, y } = benchBatch(recipe);
  const prev = setFusedBn('off');
  try {
    const layers = trainer.supernet.resolved.layers;
    const one = benchPaths(layers, 'uniform', 1, 0)[0];
    const fair = benchPaths(layers, 'fair', 1, 0)[0];
    const sides: CensusSide[] = [];
    for (const mode of ['off', 'on'] as FusedBnMode[]) {
      setFusedBn(mode);
      onProgress?.(`census: fusedBn ${mode}, BN-only step`);
      const bnOnlyStep = await count(trainer, x, y, one);
      onProgress?.(`census: fusedBn ${mode}, fair step (${fair.length} paths)`);
      sides.push({ fusedBn: mode, fusedActive: fusedBnActive(), bnOnlyStep, fairStep: await count(trainer, x, y, fair) });
    }
    return { backend: tf.getBackend(), pathsPerFairStep: fair.length, sides };
  } finally {
    setFusedBn(prev);
    trainer.dispose();
    tf.dispose([x, y]);
  }
}
