import { describe, expect, it } from 'vitest';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { defaultConfig, getSpace, resolveSpace } from '../space/index.ts';
import { bestArch, checkTableFits, fitness, layerTerms } from './score.ts';

// layer 0: normal with identity; layer 1: reduction; layer 2: normal, identity scores highest;
// layer 3: normal without identity (a supernet trained with identity off).
const TABLE: IndicatorTable = {
  layers: [
    { layerIdx: 0, normal: true, choices: [-1, 0, 1], scores: [0.5, 1.0, 0.25] },
    { layerIdx: 1, normal: false, choices: [0, 1], scores: [0.2, 0.6] },
    { layerIdx: 2, normal: true, choices: [-1, 0, 1], scores: [0.9, 0.3, 0.4] },
    { layerIdx: 3, normal: true, choices: [0, 1], scores: [0.3, 0.9] },
  ],
};

describe('scoring rules (hand-computed)', () => {
  it('dirf: normal layers / s(l,-1), reduction layers and identity-less layers / mean, sum of logs', () => {
    // layer 0: log(1.0/0.5); layer 1: ref 0.4, log(0.6/0.4); layer 2: identity = 0; layer 3: ref 0.6, log(0.3/0.6)
    expect(fitness(TABLE, 'dirf', [0, 1, -1, 0])).toBeCloseTo(Math.log(2) + Math.log(1.5) + 0 + Math.log(0.5), 12);
    expect(fitness(TABLE, 'dirf', [1, 0, 1, 1])).toBeCloseTo(Math.log(0.5) + Math.log(0.5) + Math.log(0.4 / 0.9) + Math.log(1.5), 12);
    const t = layerTerms(TABLE, 'dirf');
    expect(t[2].get(-1)).toBe(0);
    expect(t[3].get(1)).toBeCloseTo(Math.log(1.5), 12);
  });

  it('bnnas: raw sum, identity counts 0', () => {
    expect(fitness(TABLE, 'bnnas', [0, 1, -1, 0])).toBeCloseTo(1.0 + 0.6 + 0 + 0.3, 12);
    expect(fitness(TABLE, 'bnnas', [-1, 0, 1, 1])).toBeCloseTo(0 + 0.2 + 0.4 + 0.9, 12);
  });

  it('bestArch is the per-layer argmax of the rule (dirf may pick identity, bnnas never scores it)', () => {
    expect(bestArch(TABLE, 'dirf')).toEqual([0, 1, -1, 1]);
    expect(bestArch(TABLE, 'bnnas')).toEqual([0, 1, 1, 1]);
  });

  it('refuses bad tables and choices, naming the layer', () => {
    expect(() => fitness(TABLE, 'dirf', [0, 1, -1])).toThrow(/3 choices.*4 layers/);
    expect(() => fitness(TABLE, 'dirf', [0, -1, -1, 0])).toThrow(/layer 1: choice -1/);
    const bad = structuredClone(TABLE);
    bad.layers[1].scores[0] = Number.NaN;
    expect(() => layerTerms(bad, 'bnnas')).toThrow(/layer 1, choice 0: score must be a finite number/);
    const zero = structuredClone(TABLE);
    zero.layers[2].scores[0] = 0;
    expect(() => layerTerms(zero, 'dirf')).toThrow(/dirf: layer 2/);
    expect(() => layerTerms(zero, 'bnnas')).not.toThrow();
  });

  it('checkTableFits compares layers and choices with the resolved space', () => {
    const space = getSpace('bnnas-mbv2');
    const rs = resolveSpace(space, defaultConfig(space));
    const table: IndicatorTable = { layers: rs.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 1) })) };
    expect(() => checkTableFits(table, rs)).not.toThrow();
    const off = resolveSpace(space, { ...defaultConfig(space), identity: false });
    expect(() => checkTableFits(table, off)).toThrow(/layer 1 offers choices \[-1,0,1,2,3,4,5\]/);
    expect(() => checkTableFits(TABLE, rs)).toThrow(/4 layers; bnnas-mbv2 has 21/);
  });
});
