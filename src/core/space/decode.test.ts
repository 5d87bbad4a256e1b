import { describe, expect, it } from 'vitest';
import { candidateBlock, choiceLabel, decodeArch, defaultConfig, formatArch, parseArch, resolveSpace } from './decode';
import { SPACES, getSpace } from './spaces';
import { IDENTITY, type SpaceConfig } from './types';
import { makeDivisible } from './width';

const cfg = (over: Partial<SpaceConfig> = {}): SpaceConfig => ({ resolution: 224, widthMult: 1, numClasses: 1000, identity: true, ...over });
const normalIdx = (id: keyof typeof SPACES, config = cfg()) =>
  resolveSpace(SPACES[id], config).layers.filter((l) => l.normal).map((l) => l.layerIdx);

describe('resolveSpace', () => {
  it('has 21 / 19 / 20 searchable layers', () => {
    expect(resolveSpace(SPACES['bnnas-mbv2'], cfg()).layers).toHaveLength(21);
    expect(resolveSpace(SPACES['fairnas-mbv2'], cfg()).layers).toHaveLength(19);
    expect(resolveSpace(SPACES['spos-shufflenetv2'], cfg()).layers).toHaveLength(20);
  });

  it('defaultConfig is 224 / 1.0 / 1000 / identity on', () => {
    expect(defaultConfig(SPACES['bnnas-mbv2'])).toEqual({ resolution: 224, widthMult: 1, numClasses: 1000, identity: true });
  });

  it('marks exactly the stride-1, cin = cout layers normal', () => {
    expect(normalIdx('bnnas-mbv2')).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19]);
    expect(normalIdx('fairnas-mbv2')).toEqual([1, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17]);
    expect(normalIdx('spos-shufflenetv2')).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19]);
    for (const space of Object.values(SPACES)) {
      for (const l of resolveSpace(space, cfg()).layers) expect(l.normal).toBe(l.stride === 1 && l.cin === l.cout);
    }
  });

  it('offers identity (-1) first exactly on normal layers, and never when identity is off', () => {
    for (const space of Object.values(SPACES)) {
      const n = space.candidates.length;
      const ops = Array.from({ length: n }, (_, i) => i);
      for (const l of resolveSpace(space, cfg()).layers) expect(l.choices).toEqual(l.normal ? [IDENTITY, ...ops] : ops);
      for (const l of resolveSpace(space, cfg({ identity: false })).layers) expect(l.choices).toEqual(ops);
    }
  });

  it('threads channels and input sizes (ceil(n / 2) per stride 2)', () => {
    const rs = resolveSpace(SPACES['bnnas-mbv2'], cfg());
    expect(rs.prefix).toEqual([
      { type: 'conv', cin: 3, cout: 40, kernel: 3, stride: 2, act: 'relu6' },
      { type: 'ir', cin: 40, cout: 24, kernel: 3, stride: 1, expand: 1, act: 'relu6' },
    ]);
    expect(rs.layers.map((l) => l.inputSize)).toEqual([112, 56, 56, 56, 56, 28, 28, 28, 28, 14, 14, 14, 14, 14, 14, 14, 14, 7, 7, 7, 7]);
    expect(rs.layers[0]).toMatchObject({ cin: 24, cout: 32, stride: 2 });
    expect(rs.layers[20]).toMatchObject({ cin: 256, cout: 432, stride: 1, normal: false });
    expect(rs.suffix).toEqual([
      { type: 'conv', cin: 432, cout: 1728, kernel: 1, stride: 1, act: 'relu6' },
      { type: 'pool', channels: 1728 },
      { type: 'linear', cin: 1728, cout: 1000, bias: true, dropout: 0.2 },
    ]);
    const odd = resolveSpace(SPACES['spos-shufflenetv2'], cfg({ resolution: 100 }));
    // 100 -> stem 50 -> 25 -> 13 -> 7 -> 4
    expect([0, 4, 8, 16].map((i) => odd.layers[i].inputSize)).toEqual([50, 25, 13, 7]);
    expect(odd.layers[19].inputSize).toBe(4);
  });

  it('spos-shufflenetv2: stem 16, no fixed block, head 640 -> 1024, linear without bias', () => {
    const rs = resolveSpace(SPACES['spos-shufflenetv2'], cfg());
    expect(rs.prefix).toEqual([{ type: 'conv', cin: 3, cout: 16, kernel: 3, stride: 2, act: 'relu' }]);
    expect(rs.layers[0]).toMatchObject({ cin: 16, cout: 64, stride: 2, inputSize: 112 });
    expect(rs.suffix).toEqual([
      { type: 'conv', cin: 640, cout: 1024, kernel: 1, stride: 1, act: 'relu' },
      { type: 'pool', channels: 1024 },
      { type: 'linear', cin: 1024, cout: 1000, bias: false, dropout: 0.1 },
    ]);
  });

  it('validates the config with clear messages', () => {
    const s = SPACES['bnnas-mbv2'];
    expect(() => resolveSpace(s, cfg({ resolution: 7 }))).toThrow('config.resolution must be an integer >= 8');
    expect(() => resolveSpace(s, cfg({ resolution: 224.5 }))).toThrow('config.resolution must be an integer >= 8');
    expect(() => resolveSpace(s, cfg({ widthMult: 0 }))).toThrow('config.widthMult must be a finite number > 0');
    expect(() => resolveSpace(s, cfg({ widthMult: Number.NaN }))).toThrow('config.widthMult');
    expect(() => resolveSpace(s, cfg({ numClasses: 1 }))).toThrow('config.numClasses must be an integer >= 2');
    expect(() => resolveSpace(s, { ...cfg(), identity: 'yes' as unknown as boolean })).toThrow('config.identity must be a boolean');
  });
});

describe('width multiplier', () => {
  it('makeDivisible: nearest multiple of 8, at least 8, never below 90%', () => {
    expect(makeDivisible(30, 8)).toBe(32); // 40 * 0.75
    expect(makeDivisible(20, 8)).toBe(24); // 40 * 0.5: 20 + 4 = 24
    expect(makeDivisible(43, 8)).toBe(40); // 47 -> 40, and 40 >= 0.9 * 43 = 38.7
    expect(makeDivisible(19.9, 8)).toBe(24); // 23.9 -> 16, but 16 < 0.9 * 19.9 = 17.91
    expect(makeDivisible(11.2, 8)).toBe(16); // nearest is 8, but 8 < 0.9 * 11.2 = 10.08
    expect(makeDivisible(3.2, 8)).toBe(8); // at least the divisor
    expect(makeDivisible(33.6, 8)).toBe(32); // 24 * 1.4: 32 >= 30.24
    expect(makeDivisible(2419.2, 8)).toBe(2416); // 1728 * 1.4
    expect(makeDivisible(80, 16)).toBe(80);
    expect(makeDivisible(40, 16)).toBe(48);
  });

  it('at width 1.0 every count is exactly the table', () => {
    for (const space of Object.values(SPACES)) {
      const rs = resolveSpace(space, cfg());
      expect(rs.prefix[0]).toMatchObject({ cout: space.stem.cout });
      expect(rs.layers.map((l) => l.cout)).toEqual(space.layers.map((l) => l.cout));
      expect(rs.suffix[0]).toMatchObject({ cout: space.head.cout });
    }
  });

  it('bnnas-mbv2 at 0.5 and 1.4: body rounds, head never narrows', () => {
    const half = resolveSpace(SPACES['bnnas-mbv2'], cfg({ widthMult: 0.5 }));
    expect(half.prefix.map((b) => (b.type === 'conv' || b.type === 'ir' ? b.cout : 0))).toEqual([24, 16]);
    expect([...new Set(half.layers.map((l) => l.cout))]).toEqual([16, 32, 56, 64, 128, 216]);
    expect(half.suffix[0]).toMatchObject({ cout: 1728 });
    const wide = resolveSpace(SPACES['bnnas-mbv2'], cfg({ widthMult: 1.4 }));
    expect(wide.prefix[0]).toMatchObject({ cout: 56 });
    expect(wide.prefix[1]).toMatchObject({ cin: 56, cout: 32 });
    expect(wide.suffix[0]).toMatchObject({ cout: 2416 });
    expect(normalIdx('bnnas-mbv2', cfg({ widthMult: 0.5 }))).toEqual(normalIdx('bnnas-mbv2'));
  });

  it('normal layers are structural: a tiny width that merges 112 and 128 adds no identity choice', () => {
    const rs = resolveSpace(SPACES['bnnas-mbv2'], cfg({ widthMult: 0.1 }));
    expect(rs.layers[12]).toMatchObject({ cin: 16, cout: 16, normal: false });
    expect(rs.layers[12].choices).not.toContain(IDENTITY);
  });

  it('spos-shufflenetv2: stage outputs to multiples of 16, stem and head to 8', () => {
    const rs = resolveSpace(SPACES['spos-shufflenetv2'], cfg({ widthMult: 0.5 }));
    expect(rs.prefix[0]).toMatchObject({ cout: 8 });
    expect([...new Set(rs.layers.map((l) => l.cout))]).toEqual([32, 80, 160, 320]);
    expect(rs.suffix[0]).toMatchObject({ cin: 320, cout: 1024 });
    for (const l of rs.layers) expect(l.cout % 16).toBe(0);
    expect(() => resolveSpace(SPACES['spos-shufflenetv2'], cfg({ widthMult: 0.1 }))).toThrow(/layer 4 \(stride 2, 16 -> 16 channels\)/);
  });
});

describe('decodeArch', () => {
  const bn = resolveSpace(getSpace('bnnas-mbv2'), cfg());
  const bnArch = [3, -1, 0, 4, 0, -1, -1, 0, 4, -1, 4, 4, 1, 4, 2, 0, 0, 4, 0, 2, 2];

  it('gives prefix, one block per layer, suffix', () => {
    const blocks = decodeArch(bn, bnArch);
    expect(blocks).toHaveLength(2 + 21 + 3);
    expect(blocks[2]).toEqual({ type: 'ir', cin: 24, cout: 32, kernel: 5, stride: 2, expand: 6, act: 'relu6' });
    expect(blocks[3]).toEqual({ type: 'identity', channels: 32 });
    expect(blocks.filter((b) => b.type === 'identity')).toHaveLength(4);
  });

  it('decodes ShuffleNetV2 blocks with mid = cout / 2', () => {
    const rs = resolveSpace(getSpace('spos-shufflenetv2'), cfg());
    expect(candidateBlock(rs, 0, 2)).toEqual({ type: 'shuffle', cin: 16, cout: 64, kernel: 7, stride: 2, mid: 32 });
    expect(candidateBlock(rs, 5, 3)).toEqual({ type: 'xception', cin: 160, cout: 160, stride: 1, mid: 80 });
    expect(candidateBlock(rs, 5, -1)).toEqual({ type: 'identity', channels: 160 });
  });

  it('rejects a wrong length', () => {
    expect(() => decodeArch(bn, bnArch.slice(1))).toThrow('architecture has 20 choices; bnnas-mbv2 has 21 searchable layers');
  });

  it('rejects out-of-range choices, naming the layer', () => {
    const a = [...bnArch];
    a[4] = 7;
    expect(() => decodeArch(bn, a)).toThrow('layer 4: choice 7 out of range -1..5');
    a[4] = -2;
    expect(() => decodeArch(bn, a)).toThrow('layer 4: choice -2 out of range -1..5');
    const off = resolveSpace(getSpace('bnnas-mbv2'), cfg({ identity: false }));
    expect(() => candidateBlock(off, 4, 6)).toThrow('layer 4: choice 6 out of range 0..5');
  });

  it('rejects identity on a reduction layer', () => {
    const a = [...bnArch];
    a[0] = -1;
    expect(() => decodeArch(bn, a)).toThrow('layer 0: identity (-1) is not allowed on a reduction layer (stride 2 or cin != cout)');
    a[0] = 3;
    a[12] = -1; // stride 1 but 112 -> 128
    expect(() => decodeArch(bn, a)).toThrow('layer 12: identity (-1) is not allowed on a reduction layer');
  });

  it('rejects identity when the config switches it off', () => {
    const off = resolveSpace(getSpace('bnnas-mbv2'), cfg({ identity: false }));
    expect(() => decodeArch(off, bnArch)).toThrow('layer 1: identity (-1) is not allowed: the identity candidate is off');
  });

  it('rejects non-integers, naming the layer', () => {
    const a: number[] = [...bnArch];
    a[2] = 1.5;
    expect(() => decodeArch(bn, a)).toThrow('layer 2: choice 1.5 is not an integer');
    a[2] = Number.NaN;
    expect(() => decodeArch(bn, a)).toThrow('layer 2: choice NaN is not an integer');
    a[2] = '1' as unknown as number;
    expect(() => decodeArch(bn, a)).toThrow('layer 2: choice "1" is not an integer');
    expect(() => decodeArch(bn, 'x' as unknown as number[])).toThrow('architecture must be an array');
  });

  it('accepts every listed choice on every layer', () => {
    for (const space of Object.values(SPACES)) {
      const rs = resolveSpace(space, cfg());
      for (const l of rs.layers) for (const c of l.choices) expect(() => candidateBlock(rs, l.layerIdx, c)).not.toThrow();
    }
  });
});

describe('parseArch', () => {
  it('reads comma-, bracket- and space-separated forms', () => {
    expect(parseArch('3,-1,0')).toEqual([3, -1, 0]);
    expect(parseArch(' [3, -1, 0] ')).toEqual([3, -1, 0]);
    expect(parseArch('(2, 1, 0, 1)')).toEqual([2, 1, 0, 1]);
    expect(parseArch('3 -1\t0')).toEqual([3, -1, 0]);
    expect(parseArch(formatArch([3, -1, 0, 4]))).toEqual([3, -1, 0, 4]);
  });

  it('gives clear errors', () => {
    expect(() => parseArch('')).toThrow('architecture is empty');
    expect(() => parseArch('[]')).toThrow('architecture is empty');
    expect(() => parseArch('3,,1')).toThrow('architecture item 1 is empty');
    expect(() => parseArch('3,a')).toThrow('architecture item 1 ("a") is not an integer');
    expect(() => parseArch('3,1.5')).toThrow('architecture item 1 ("1.5") is not an integer');
  });

  it('labels choices', () => {
    expect(choiceLabel(SPACES['bnnas-mbv2'], 3)).toBe('k5e6');
    expect(choiceLabel(SPACES['spos-shufflenetv2'], 3)).toBe('xception');
    expect(choiceLabel(SPACES['spos-shufflenetv2'], -1)).toBe('identity');
  });
});
