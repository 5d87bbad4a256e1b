import { describe, expect, it } from 'vitest';
import { archCost, getSpace, resolveSpace } from '../../core/space/index.ts';
import { PRESET_SETTINGS } from '../../worker/protocol/index.ts';
import { limitValue, searchLimitRanges } from './searchLimits.ts';

describe('searchLimitRanges', () => {
  it('spans the smallest and largest path at the reference; the published limit where it lies inside', () => {
    const s = PRESET_SETTINGS.paper;
    const r = searchLimitRanges(s);
    const space = getSpace(s.space);
    const config = { resolution: s.resolution, widthMult: s.widthMult, numClasses: s.numClasses, identity: true };
    const rs = resolveSpace(space, config);
    // independently: the all-identity-else-first-choice path and the all-last-choice path
    const small = archCost(space, config, rs.layers.map((l) => l.choices[0])).reference;
    const large = archCost(space, config, rs.layers.map((l) => l.choices.at(-1)!)).reference;
    expect(r.macs.min).toBe(small.macs);
    expect(r.macs.max).toBe(large.macs);
    expect(r.macs.initial).toBe(475e6);
    expect(r.params.initial).toBe(r.params.max);
    expect(r.macs.step).toBe(Math.round((large.macs - small.macs) / 200));
  });

  it('at a narrow width the published limit binds nothing: the middle of the range', () => {
    const r = searchLimitRanges(PRESET_SETTINGS.tiny);
    expect(r.macs.max).toBeLessThan(475e6);
    expect(r.macs.initial).toBe(Math.round((r.macs.min + r.macs.max) / 2));
    expect(limitValue(r.macs, null)).toBe(r.macs.initial);
    expect(limitValue(r.macs, 1)).toBe(r.macs.min);
    expect(limitValue(r.macs, 1e12)).toBe(r.macs.max);
  });
});
