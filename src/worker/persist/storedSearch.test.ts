import { describe, expect, it } from 'vitest';
import { SPACES } from '../../core/space/spaces.ts';
import { storedSearchOf, type StoredSearch } from './storedSearch.ts';

const layers = SPACES['bnnas-mbv2'].layers.length;
const cand = (fitness: number) => ({ arch: Array.from({ length: layers }, (_, i) => i % 6), fitness, macs: 3e8, params: 4e6 });
function good(): StoredSearch {
  return {
    stopped: false, space: 'bnnas-mbv2', widthMult: 1, rule: 'dirf', seed: 0, maxMacs: 330e6, maxParams: null, populationSize: 50, generations: 20, tableStep: 12,
    top: [cand(2), cand(1)], pareto: [cand(2)], history: [{ generation: 0, best: 2, mean: 1.5, evaluated: 50, rejected: 3 }], evaluated: 900,
    argmax: { ...cand(3), withinLimits: false },
  };
}

describe('storedSearchOf', () => {
  it('passes a stored result through and keeps null as null', () => {
    const r = good();
    expect(storedSearchOf(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(storedSearchOf(null)).toBeNull();
    expect(storedSearchOf(undefined)).toBeNull();
  });
  it('names what is wrong with a malformed one', () => {
    const bad = (patch: Record<string, unknown>, re: RegExp) => {
      const r = storedSearchOf({ ...good(), ...patch });
      expect(r).toHaveProperty('problem');
      expect((r as { problem: string }).problem).toMatch(re);
    };
    bad({ space: 'resnet' }, /unknown space "resnet"/);
    bad({ rule: 'acc' }, /unknown rule "acc"/);
    bad({ top: 'x' }, /no top list/);
    bad({ top: [{ ...cand(1), arch: [1, 2] }] }, /top\[0\] has 2 layers, the space 21/);
    bad({ pareto: [{ ...cand(1), macs: 'many' }] }, /pareto\[0\] has no numeric macs/);
    bad({ argmax: null }, /argmax is not an object/);
    bad({ tableStep: undefined }, /no numeric tableStep/);
    bad({ maxMacs: '330M' }, /malformed limits/);
    bad({ stopped: 1 }, /no stopped flag/);
    expect(storedSearchOf([1, 2])).toEqual({ problem: 'stored search results are not an object' });
  });
});
