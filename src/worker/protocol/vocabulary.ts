// The core's vocabulary, re-exported from its pure data files (nothing restated here): spaces,
// initialisations, training modes, samplers, presets, and the training settings the lab exposes
// (src/core/train/recipe.ts; the worker turns them into a recipe with recipeFromSettings).

export { SPACE_IDS } from '../../core/space/spaces.ts';
export type { SpaceId } from '../../core/space/types.ts';
export { INIT_NAMES, type InitName } from '../../core/init/index.ts';
export { TRAIN_MODES, type TrainMode } from '../../core/train/modes.ts';
export { SAMPLER_KINDS, type SamplerKind } from '../../core/train/sampler.ts';
export { PRESET_NAMES, PRESET_SETTINGS, type PresetName, type TrainSettings } from '../../core/train/recipe.ts';
