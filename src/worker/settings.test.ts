import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, PRESETS, resolveRecipe } from '../core/config.ts';
import { INIT_NAMES as CORE_INITS } from '../core/init/index.ts';
import { TRAIN_MODES } from '../core/model/context.ts';
import { SPACE_IDS } from '../core/space/spaces.ts';
import { SAMPLER_KINDS } from '../core/train/sampler.ts';
import { INIT_NAMES, MODE_NAMES, PRESET_NAMES, PRESET_SETTINGS, SAMPLER_NAMES, SPACE_NAMES } from './protocol.ts';
import { recipeFromSettings } from './recipe.ts';

// protocol.ts repeats a few core tables so the UI need not import the engine; keep them equal.
describe('protocol settings tables', () => {
  it('list the same names as the core', () => {
    expect([...SPACE_NAMES].sort()).toEqual([...SPACE_IDS].sort());
    expect([...INIT_NAMES]).toEqual(CORE_INITS);
    expect([...MODE_NAMES]).toEqual(TRAIN_MODES);
    expect([...SAMPLER_NAMES]).toEqual(SAMPLER_KINDS);
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(PRESETS).sort());
  });

  it('give each preset exactly as resolveRecipe does', () => {
    for (const name of PRESET_NAMES) {
      const r = resolveRecipe(name);
      expect(PRESET_SETTINGS[name]).toEqual({
        space: r.space,
        resolution: r.config.resolution,
        widthMult: r.config.widthMult,
        numClasses: r.config.numClasses,
        init: r.init,
        seed: r.seed,
        mode: r.mode,
        sampler: r.sampler,
        batchSize: r.batchSize,
        totalSteps: r.totalSteps,
        lr: r.lr,
      });
      expect(recipeFromSettings(name, PRESET_SETTINGS[name])).toEqual(r);
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
