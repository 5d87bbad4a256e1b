import { describe, expect, it } from 'vitest';
import { archCost, getSpace, resolveSpace, validateArch } from '../space/index.ts';
import { sampleStratifiedByMacs } from './stratified.ts';

const space = getSpace('bnnas-mbv2');
const config = { resolution: 32, widthMult: 0.25, numClasses: 10, identity: true };

describe('sampleStratifiedByMacs', () => {
  it('is deterministic for a seed, valid, distinct, one per stratum, cheapest stratum first', () => {
    const a = sampleStratifiedByMacs(space, config, 8, 3);
    expect(sampleStratifiedByMacs(space, config, 8, 3)).toEqual(a);
    expect(sampleStratifiedByMacs(space, config, 8, 4).map((p) => p.arch)).not.toEqual(a.map((p) => p.arch));
    expect(a.map((p) => p.stratum)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(a.map((p) => p.arch.join())).size).toBe(8);
    const rs = resolveSpace(space, config);
    for (let i = 0; i < a.length; i++) {
      validateArch(rs, a[i].arch);
      expect({ macs: a[i].macs, params: a[i].params }).toEqual(archCost(space, config, a[i].arch).reference);
      if (i > 0) expect(a[i].macs).toBeGreaterThanOrEqual(a[i - 1].macs);
    }
    // strata are quantiles of a pool of 400: the picks span most of the pool's MAC range
    expect(a[7].macs - a[0].macs).toBeGreaterThan(0);
  });

  it('respects limits and refuses when too few architectures fit', () => {
    const free = sampleStratifiedByMacs(space, config, 4, 1);
    const maxMacs = free[2].macs;
    for (const p of sampleStratifiedByMacs(space, config, 4, 1, { limits: { maxMacs } })) expect(p.macs).toBeLessThanOrEqual(maxMacs);
    expect(() => sampleStratifiedByMacs(space, config, 4, 1, { limits: { maxMacs: 1 }, poolSize: 4 })).toThrow(/only 0 distinct architectures/);
    expect(() => sampleStratifiedByMacs(space, config, 1, 1)).toThrow(/k must be an integer >= 2/);
  });
});
