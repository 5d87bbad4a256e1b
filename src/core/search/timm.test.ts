// Offline check that timm builds exactly our network: a parser written from the documented
// block-string grammar of timm's `_decode_block_str` (type prefix, then `_`-separated options:
// `noskip` / `skip`, `n<act>` with re / r6 / hs / sw / mi, else <letters><number>), and the
// builder's rules (repeats expand in place; only the first block of a stage list keeps its stride;
// out channels and the IR hidden width go through make_divisible(v, 8); stem conv3x3 stride 2;
// head conv1x1 + BN + act, pool, linear with bias). The rebuilt block list must cost exactly what
// archCost reports.
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { archCost, getSpace, networkCost, resolveSpace } from '../space/index.ts';
import type { Arch, BlockSpec, SpaceConfig } from '../space/types.ts';
import { timmArchDef, type TimmExport } from './timm.ts';

interface ParsedBlock {
  type: string;
  opts: Record<string, string>;
  act?: string;
  skip?: boolean;
}

function parseBlockString(s: string): ParsedBlock {
  const [type, ...ops] = s.split('_');
  const out: ParsedBlock = { type, opts: {} };
  for (const op of ops) {
    if (op === 'noskip') out.skip = false;
    else if (op === 'skip') out.skip = true;
    else if (op.startsWith('n')) {
      const act = { re: 'relu', r6: 'relu6', hs: 'hard_swish', sw: 'swish', mi: 'mish' }[op.slice(1)];
      if (!act) throw new Error(`unknown activation in ${s}`);
      out.act = act;
    } else {
      const m = /^([a-z]+)(\d.*)$/.exec(op);
      if (!m) throw new Error(`bad option "${op}" in ${s}`);
      out.opts[m[1]] = m[2];
    }
  }
  for (const k of ['r', 'k', 's', 'c', ...(type === 'ir' ? ['e'] : [])]) if (!(k in out.opts)) throw new Error(`${s}: missing ${k}`);
  if (type !== 'ir' && type !== 'ds') throw new Error(`${s}: unexpected block type ${type}`);
  return out;
}

/** timm's make_divisible(v, 8): nearest multiple, at least 8, not below 90% of v. */
function makeDivisible(v: number, d = 8): number {
  let n = Math.max(d, Math.floor((v + d / 2) / d) * d);
  if (n < 0.9 * v) n += d;
  return n;
}

/** Our BlockSpec list of the network timm would build from an export. */
function rebuild(t: TimmExport, numClasses = t.num_classes): BlockSpec[] {
  const act = t.act_layer;
  const blocks: BlockSpec[] = [{ type: 'conv', cin: 3, cout: t.stem_size, kernel: 3, stride: 2, act }];
  let cin = t.stem_size;
  for (const stage of t.arch_def) {
    let first = true;
    for (const s of stage) {
      const p = parseBlockString(s);
      expect(p.act).toBe(act);
      expect(p.skip).toBeUndefined();
      for (let r = 0; r < Number(p.opts.r); r++) {
        const stride = first ? Number(p.opts.s) : 1;
        first = false;
        expect([1, 2]).toContain(stride);
        const cout = makeDivisible(Number(p.opts.c));
        const hidden = p.type === 'ds' ? cin : makeDivisible(cin * Number(p.opts.e));
        expect(hidden % cin).toBe(0);
        blocks.push({ type: 'ir', cin, cout, kernel: Number(p.opts.k), stride: stride as 1 | 2, expand: hidden / cin, act });
        cin = cout;
      }
    }
  }
  blocks.push({ type: 'conv', cin, cout: t.num_features, kernel: 1, stride: 1, act });
  blocks.push({ type: 'pool', channels: t.num_features });
  blocks.push({ type: 'linear', cin: t.num_features, cout: numClasses, bias: true, dropout: t.drop_rate });
  return blocks;
}

const BNNAS_NET: Arch = [3, -1, 0, 4, 0, -1, -1, 0, 4, -1, 4, 4, 1, 4, 2, 0, 0, 4, 0, 2, 2];
const cfg = (widthMult: number): SpaceConfig => ({ resolution: 224, widthMult, numClasses: 1000, identity: true });

describe('timm arch_def export', () => {
  it('BN-NAS net: strings, stages, stem and head, and exactly our cost', () => {
    const space = getSpace('bnnas-mbv2');
    const t = timmArchDef(space, cfg(1), BNNAS_NET);
    expect(t.arch_def[0]).toEqual(['ds_r1_k3_s1_c24_nr6']);
    expect(t.arch_def[1]).toEqual(['ir_r1_k5_s2_e6_c32_nr6', 'ir_r1_k3_s1_e3_c32_nr6', 'ir_r1_k7_s1_e3_c32_nr6']);
    expect(t.arch_def).toHaveLength(5); // ds, then one stage per stride-2 layer (4)
    expect(t.arch_def.flat()).toHaveLength(1 + 21 - 4); // its 4 identity layers omitted
    expect(t.arch_def.slice(1).every((st) => st[0].includes('_s2_') && st.slice(1).every((s) => s.includes('_s1_')))).toBe(true);
    expect([t.stem_size, t.num_features, t.num_classes, t.act_layer, t.drop_rate]).toEqual([40, 1728, 1000, 'relu6', 0.2]);
    const c = networkCost(rebuild(t), 224);
    expect({ macs: c.macs, params: c.params }).toEqual({ macs: 471_822_240, params: 5_228_536 });
    expect(t.expected).toEqual({ resolution: 224, macs: 471_822_240, params: 5_228_536 });
  });

  it.each([
    ['bnnas-mbv2', 1],
    ['bnnas-mbv2', 0.35],
    ['bnnas-mbv2', 1.4],
    ['fairnas-mbv2', 1],
    ['fairnas-mbv2', 0.5],
  ] as const)('%s at width %s: random archs rebuild to exactly archCost (reference and configured classes)', (id, w) => {
    const space = getSpace(id);
    const config = { ...cfg(w), resolution: 64, numClasses: 10 };
    const rs = resolveSpace(space, config);
    const rng = createRng(11);
    for (let i = 0; i < 25; i++) {
      const arch = rs.layers.map((l) => l.choices[rng.int(l.choices.length)]);
      const t = timmArchDef(space, config, arch);
      const cost = archCost(space, config, arch);
      const ref = networkCost(rebuild(t), 224);
      expect({ macs: ref.macs, params: ref.params }).toEqual(cost.reference);
      const here = networkCost(rebuild(t, config.numClasses), config.resolution);
      expect({ macs: here.macs, params: here.params }).toEqual({ macs: cost.macs, params: cost.params });
    }
  });

  it('the all-identity corner keeps a valid stage structure', () => {
    const space = getSpace('bnnas-mbv2');
    const rs = resolveSpace(space, cfg(1));
    const arch = rs.layers.map((l) => l.choices[0]);
    const t = timmArchDef(space, cfg(1), arch);
    expect(t.arch_def.every((st) => st.length > 0)).toBe(true);
    const c = networkCost(rebuild(t), 224);
    expect({ macs: c.macs, params: c.params }).toEqual(archCost(space, cfg(1), arch).reference);
  });

  it('refuses the ShuffleNetV2 space', () => {
    const space = getSpace('spos-shufflenetv2');
    expect(() => timmArchDef(space, cfg(1), [2, 1, 0, 1, 2, 0, 2, 0, 2, 0, 2, 3, 0, 0, 0, 0, 3, 2, 3, 3])).toThrow(/only for MobileNetV2 spaces/);
  });
});
