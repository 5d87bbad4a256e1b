// The lab's training settings (protocol.ts) -> a validated core recipe, and the synthetic data
// spec that goes with it. resolveRecipe names the first bad field when a setting is out of range.
import { resolveRecipe, type TrainRecipe } from '../core/config.ts';
import type { SyntheticConfig } from '../core/data/synthetic.ts';
import type { PresetName, TrainSettings } from './protocol.ts';

export function recipeFromSettings(preset: PresetName, s: TrainSettings): TrainRecipe {
  return resolveRecipe(preset, {
    space: s.space,
    init: s.init,
    seed: s.seed,
    mode: s.mode,
    sampler: s.sampler,
    batchSize: s.batchSize,
    totalSteps: s.totalSteps,
    lr: s.lr,
    config: { resolution: s.resolution, widthMult: s.widthMult, numClasses: s.numClasses },
  });
}

/** The built-in synthetic dataset a recipe trains on. */
export function syntheticDataOf(r: TrainRecipe): SyntheticConfig {
  return {
    seed: r.seed,
    numClasses: r.config.numClasses,
    resolution: r.config.resolution,
    noise: r.data.noise,
    trainSize: r.data.trainSize,
    valSize: r.data.valSize,
    ...(r.data.planted ? { planted: r.data.planted } : {}),
    ...(r.data.plantedOnly ? { plantedOnly: true } : {}),
  };
}
