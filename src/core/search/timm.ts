// timm `arch_def` export of a MobileNetV2-space subnet (docs/method.md §8), in the block-string
// grammar of timm/models/_efficientnet_builder.py (`_decode_block_str`): `<type>_<key><value>_...`
// with type `ds` (depthwise-separable: dw kxk BN act, pw 1x1 BN; our expansion-free fixed block)
// or `ir` (inverted residual), keys r repeats, k kernel, s stride, e expansion, c out channels,
// n activation (`nr6` = ReLU6, `nre` = ReLU). Identity layers are omitted. timm keeps the stride
// of only the first block of a stage list, so every stride-2 block starts a new stage list.
// The stem (conv3x3 s2 BN act) and the head (conv1x1 BN act, pool, linear with bias) are not in
// arch_def: stem_size, num_features and num_classes go alongside, as EfficientNet(...) arguments.
// The network is the reference one (224 px, 1000 classes, the configured width).
import { archCost, referenceConfig, type Cost } from '../space/cost.ts';
import { decodeArch, resolveSpace } from '../space/decode.ts';
import type { Activation, Arch, BlockSpec, SpaceConfig, SpaceDef } from '../space/types.ts';

export interface TimmExport {
  format: 'timm-efficientnet';
  /** Stage lists of block strings, for timm's decode_arch_def. */
  arch_def: string[][];
  /** EfficientNet(...) arguments that go with it. */
  stem_size: number;
  fix_stem: true;
  num_features: number;
  num_classes: number;
  act_layer: 'relu6' | 'relu';
  drop_rate: number;
  /** What timm's network must count (params, and conv/linear MACs at 224 x 224). */
  expected: Cost & { resolution: number };
}

function actKey(act: Activation): string {
  if (act === 'relu6') return 'nr6';
  if (act === 'relu') return 'nre';
  throw new Error(`timm export: activation "${act}" has no block-string key`);
}

/** The block string of one decoded block (null for identity: omitted). */
export function timmBlockString(b: BlockSpec): string | null {
  if (b.type === 'identity') return null;
  if (b.type !== 'ir') throw new Error(`timm export: a "${b.type}" block has no timm block string (MobileNetV2 spaces only)`);
  if (b.expand === 1) return `ds_r1_k${b.kernel}_s${b.stride}_c${b.cout}_${actKey(b.act)}`;
  return `ir_r1_k${b.kernel}_s${b.stride}_e${b.expand}_c${b.cout}_${actKey(b.act)}`;
}

/** timm arch_def and EfficientNet arguments of `arch` (MobileNetV2 spaces). */
export function timmArchDef(space: SpaceDef, config: SpaceConfig, arch: Arch): TimmExport {
  if (space.family !== 'mbv2') throw new Error(`timm export is only for MobileNetV2 spaces; ${space.id} is a ${space.family} space`);
  const ref = referenceConfig(config);
  const blocks = decodeArch(resolveSpace(space, ref), arch);
  const [stem, ...rest] = blocks;
  const [head, pool, fc] = rest.slice(-3);
  const body = rest.slice(0, -3);
  if (stem.type !== 'conv' || stem.cin !== 3 || stem.kernel !== 3 || stem.stride !== 2) throw new Error('timm export: the stem must be conv3x3 stride 2 from RGB');
  if (head.type !== 'conv' || head.kernel !== 1 || pool.type !== 'pool' || fc.type !== 'linear' || !fc.bias) {
    throw new Error('timm export: the head must be conv1x1, pool, linear with bias');
  }
  actKey(stem.act); // relu6 or relu
  if (stem.act !== head.act || body.some((b) => b.type === 'ir' && b.act !== stem.act)) throw new Error('timm export: all activations must be the same');
  const stages: string[][] = [];
  for (const b of body) {
    const s = timmBlockString(b);
    if (s === null) continue;
    if (stages.length === 0 || (b.type === 'ir' && b.stride === 2)) stages.push([]);
    stages[stages.length - 1].push(s);
  }
  const cost = archCost(space, config, arch).reference;
  return {
    format: 'timm-efficientnet',
    arch_def: stages,
    stem_size: stem.cout,
    fix_stem: true,
    num_features: head.cout,
    num_classes: fc.cout,
    act_layer: stem.act === 'relu6' ? 'relu6' : 'relu',
    drop_rate: fc.dropout,
    expected: { resolution: ref.resolution, macs: cost.macs, params: cost.params },
  };
}
