import { describe, expect, it } from 'vitest';
import type { IndicatorTable } from '../model/indicatorTable.ts';
import { createRng } from '../rng.ts';
import { choiceLabel, getSpace, resolveSpace } from '../space/index.ts';
import type { SpaceConfig } from '../space/types.ts';
import { exportSubnet, importSubnet, SUBNET_FORMAT, type SubnetSource } from './export.ts';
import { fitness } from './score.ts';

const config: SpaceConfig = { resolution: 32, widthMult: 0.25, numClasses: 10, identity: true };
const rs = resolveSpace(getSpace('bnnas-mbv2'), config);
const rng = createRng(4);
const table: IndicatorTable = { layers: rs.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices], scores: l.choices.map(() => 0.1 + rng.uniform()) })) };
const src: SubnetSource = { space: 'bnnas-mbv2', config, seed: 7, init: 'orthogonal', table };
const ARCH = [3, -1, 0, 4, 0, -1, -1, 0, 4, -1, 4, 4, 1, 4, 2, 0, 0, 4, 0, 2, 2];

describe('subnet JSON export', () => {
  it('carries format, version, space, config, seed, init, choices, cost, fitness and the table', () => {
    const e = exportSubnet(src, ARCH, 'dirf');
    expect(e.format).toBe(SUBNET_FORMAT);
    expect(e.version).toBe(1);
    expect([e.space, e.seed, e.init]).toEqual(['bnnas-mbv2', 7, 'orthogonal']);
    expect(e.choices).toEqual(ARCH);
    expect(e.labels.slice(0, 3)).toEqual(['k5e6', 'identity', 'k3e3']);
    expect(e.reference.macs).toBeLessThan(471_822_240); // width 0.25
    expect(e.macs).toBeLessThan(e.reference.macs); // 32 px
    expect(e.fitness).toEqual({ rule: 'dirf', value: fitness(table, 'dirf', ARCH) });
    expect(e.indicators).toEqual(table);
  });

  it('round-trips through JSON text to the same subnet', () => {
    for (const rule of ['dirf', 'bnnas'] as const) {
      const e = exportSubnet(src, ARCH, rule);
      const back = importSubnet(JSON.stringify(e, null, 2), 'pick.json');
      expect(back).toEqual(e);
      expect(importSubnet(JSON.parse(JSON.stringify(e)), 'pick.json')).toEqual(e);
    }
  });

  const base = () => JSON.parse(JSON.stringify(exportSubnet(src, ARCH, 'dirf')));
  it.each([
    ['not JSON', () => '{oops', /pick\.json: not JSON/],
    ['another kind of file', () => ({ ...base(), format: 'isonas-supernet' }), /pick\.json: not an isonas subnet export/],
    ['a newer version', () => ({ ...base(), version: 2 }), /pick\.json: subnet export version 2 is not supported/],
    ['an unknown space', () => ({ ...base(), space: 'mnasnet' }), /pick\.json: space: Unknown search space "mnasnet"/],
    ['a bad config', () => ({ ...base(), config: { ...config, resolution: 4 } }), /pick\.json: config: config\.resolution must be an integer >= 8/],
    ['an arch of the wrong length', () => ({ ...base(), choices: [0, 1] }), /pick\.json: choices: architecture has 2 choices; bnnas-mbv2 has 21/],
    ['identity on a reduction layer', () => ({ ...base(), choices: [-1, ...ARCH.slice(1)] }), /pick\.json: choices: layer 0: identity/],
    ['wrong labels', () => ({ ...base(), labels: ARCH.map(() => 'k3e3') }), /labels do not match/],
    ['a tampered cost', () => ({ ...base(), macs: 1 }), /pick\.json: cost does not match/],
    ['a tampered fitness', () => ({ ...base(), fitness: { rule: 'dirf', value: 3 } }), /pick\.json: fitness\.value 3 does not match/],
    ['an unknown rule', () => ({ ...base(), fitness: { rule: 'acc', value: 3 } }), /fitness\.rule must be one of dirf, bnnas/],
    ['an unknown init', () => ({ ...base(), init: 'xavier' }), /init must be one of/],
    ['a table of another config', () => {
      const choices = ARCH.map((c) => Math.max(0, c));
      return { ...base(), config: { ...config, identity: false }, choices, labels: choices.map((c) => choiceLabel(getSpace('bnnas-mbv2'), c)) };
    }, /pick\.json: indicators: indicator table: layer 1 offers choices/],
    ['an extra field', () => ({ ...base(), comment: 'hi' }), /unknown field\(s\) comment/],
  ])('refuses %s, naming the source', (_what, make, message) => {
    expect(() => importSubnet(make(), 'pick.json')).toThrow(message);
  });
});
