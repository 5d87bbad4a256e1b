import { describe, expect, it } from 'vitest';
import { archCost } from '../../core/space/cost.ts';
import { SPACES } from '../../core/space/spaces.ts';
import { PRESET_SETTINGS } from '../../worker/protocol/index.ts';
import { formatCount, supernetCost } from './cost.ts';

describe('supernetCost', () => {
  it('finds the extreme paths of bnnas-mbv2 (k7e6 everywhere; identity where offered, else k3e3)', () => {
    const c = supernetCost(PRESET_SETTINGS.paper);
    expect(c.layers).toBe(21);
    expect(c.largest.arch.every((x) => x === 5)).toBe(true);
    expect(c.smallest.arch.every((x) => x === -1 || x === 0)).toBe(true);
    expect(c.smallest.arch).toContain(-1);
    const config = { resolution: 224, widthMult: 1, numClasses: 1000, identity: true };
    expect(c.largest).toEqual({ arch: c.largest.arch, ...archCost(SPACES['bnnas-mbv2'], config, c.largest.arch) });
    // at the reference config, "here" and the reference agree
    expect(c.largest.reference).toEqual({ macs: c.largest.macs, params: c.largest.params });
    expect(c.smallest.macs).toBeLessThan(c.largest.macs);
  });

  it('prices the tiny config below its 224 / 1000 reference, for every space', () => {
    for (const space of ['bnnas-mbv2', 'fairnas-mbv2', 'spos-shufflenetv2'] as const) {
      const c = supernetCost({ ...PRESET_SETTINGS.tiny, space });
      expect(c.largest.macs).toBeLessThan(c.largest.reference.macs);
      expect(c.smallest.macs).toBeLessThanOrEqual(c.largest.macs);
      expect(c.smallest.params).toBeLessThanOrEqual(c.largest.params);
    }
  });

  it('formats counts', () => {
    expect(formatCount(471822240)).toBe('471.82 M');
    expect(formatCount(1500)).toBe('1.5 k');
    expect(formatCount(12)).toBe('12');
  });
});
