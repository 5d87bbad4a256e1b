import { describe, expect, it } from 'vitest';
import { PRESET_SETTINGS, type TrainSettings } from '../../worker/protocol/index.ts';
import { FIELDS, parseField, fieldSpec } from './fields.ts';
import { decodeSetup, encodeSetup } from './urlState.ts';

describe('URL state', () => {
  it('opens on the tiny preset with no issues', () => {
    expect(decodeSetup('')).toEqual({ preset: 'tiny', settings: PRESET_SETTINGS.tiny, issues: [] });
  });

  it('round-trips every field and keeps ?backends=', () => {
    const s: TrainSettings = {
      space: 'spos-shufflenetv2', resolution: 48, widthMult: 0.5, numClasses: 7, init: 'delta-orthogonal', seed: 4294967295,
      mode: 'last-bn', sampler: 'uniform', batchSize: 12, totalSteps: 9, lr: 0.025,
    };
    const q = encodeSetup('small', s, '?backends=cpu&preset=paper');
    const params = new URLSearchParams(q);
    expect(params.get('backends')).toBe('cpu');
    expect(params.get('preset')).toBe('small');
    expect(params.get('res')).toBe('48');
    expect(decodeSetup(q)).toEqual({ preset: 'small', settings: s, issues: [] });
    expect(q).toBe('?preset=small&space=spos-shufflenetv2&res=48&width=0.5&classes=7&init=delta-orthogonal&seed=4294967295&mode=last-bn&sampler=uniform&batch=12&steps=9&lr=0.025&backends=cpu');
    for (const p of ['tiny', 'small', 'paper'] as const) expect(decodeSetup(encodeSetup(p, PRESET_SETTINGS[p])).settings).toEqual(PRESET_SETTINGS[p]);
  });

  it('applies a preset, then single parameters over it', () => {
    const d = decodeSetup('?preset=paper&sampler=uniform&batch=8');
    expect(d.settings).toEqual({ ...PRESET_SETTINGS.paper, sampler: 'uniform', batchSize: 8 });
    expect(d.issues).toEqual([]);
  });

  it('reports each invalid value and falls back to the preset', () => {
    const d = decodeSetup('?preset=huge&res=abc&width=0&classes=1&seed=-1&batch=2.5&lr=1e-3&space=resnet&steps=&init=orthogonal');
    expect(d.preset).toBe('tiny');
    expect(d.settings).toEqual({ ...PRESET_SETTINGS.tiny, lr: 1e-3 });
    expect(d.issues).toHaveLength(8);
    expect(d.issues[0]).toBe('Preset (preset=huge in the link) must be one of tiny, small, paper; using tiny');
    expect(d.issues).toContain('Resolution (res=abc in the link) must be a whole number from 8 to 512; using 16');
    expect(d.issues).toContain('Width multiplier (width=0 in the link) must be a number from 0.05 to 4; using 0.25');
    expect(d.issues).toContain('Search space (space=resnet in the link) must be one of bnnas-mbv2, fairnas-mbv2, spos-shufflenetv2, micro-mbv2, demo-mbv2; using demo-mbv2');
  });
});

describe('parseField', () => {
  it('accepts plain decimal and exponent forms only', () => {
    const lr = fieldSpec('lr');
    expect(parseField(lr, ' 0.05 ')).toEqual({ value: 0.05 });
    expect(parseField(lr, '5e-2')).toEqual({ value: 0.05 });
    for (const bad of ['', '0x10', 'Infinity', 'NaN', '1,5', '0', '11']) expect(parseField(lr, bad)).toHaveProperty('error');
    expect(parseField(fieldSpec('seed'), '3.5')).toHaveProperty('error');
  });

  it('has one field per setting with a distinct URL name', () => {
    expect(FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(PRESET_SETTINGS.tiny).sort());
    expect(new Set(FIELDS.map((f) => f.param)).size).toBe(FIELDS.length);
  });
});
