import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, PRESET_NAMES, PRESET_SETTINGS, PRESETS, recipeFromSettings, resolveRecipe } from './recipe.ts';

describe('training settings', () => {
  it('give each preset as resolveRecipe does, and map back to the same recipe', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(PRESETS).sort());
    for (const name of PRESET_NAMES) {
      const r = resolveRecipe(name);
      const s = PRESET_SETTINGS[name];
      expect([s.space, s.resolution, s.widthMult, s.numClasses, s.batchSize, s.totalSteps, s.lr]).toEqual([r.space, r.config.resolution, r.config.widthMult, r.config.numClasses, r.batchSize, r.totalSteps, r.lr]);
      expect(recipeFromSettings(name, s)).toEqual(r);
    }
  });

  it('turn settings into a recipe, and name a bad field', () => {
    const r = recipeFromSettings('tiny', { ...PRESET_SETTINGS.tiny, resolution: 16, sampler: 'uniform', lr: 0.05 });
    expect(r.config).toEqual({ ...DEFAULT_RECIPE.config, resolution: 16, widthMult: 0.25, numClasses: 4 });
    expect(r.sampler).toBe('uniform');
    expect(r.lr).toBe(0.05);
    expect(() => recipeFromSettings('tiny', { ...PRESET_SETTINGS.tiny, batchSize: 1 })).toThrow(/batch/);
  });
});
