// The builder: the only place that dispatches on BlockSpec.type. Each block is a small closure
// over its frozen weights and BN layers; names are "<prefix>.<part>" (e.g. "L3.c2.pw1").
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, BlockSpec } from '../space/types.ts';
import type { BatchNorm } from './bn.ts';
import type { BuildContext } from './context.ts';
import type { ForwardCtx, Module } from './module.ts';
import { conv, depthwise, frozenConv, hasInputGradWeight, inputGradWeight } from './ops.ts';

/** conv (or depthwise) -> BN -> activation, the unit every block is made of. */
interface ConvBn {
  w: tf.Tensor4D;
  bn: BatchNorm;
  stride: number;
  depthwise: boolean;
  act: Activation;
  /** Frozen stride-1 weights only: the pre-transformed weight of the input gradient (ops.ts). */
  wGrad: tf.Tensor4D | null;
}

function convBn(
  b: BuildContext,
  name: string,
  bnName: string,
  opts: { kind: 'conv' | 'depthwise'; kernel: number; cin: number; cout: number; stride: number; act: Activation; indicator?: boolean },
): ConvBn {
  const shape = { kind: opts.kind, kernel: opts.kernel, cin: opts.cin, cout: opts.cout } as const;
  const w = b.weight(name, shape, opts.act !== 'none') as tf.Tensor4D;
  const bn = b.bn(bnName, opts.cout, opts.indicator ?? false);
  const isDw = opts.kind === 'depthwise';
  const wGrad = b.mode !== 'all' && hasInputGradWeight(opts.kernel, opts.stride) ? b.derive(inputGradWeight(w, isDw)) : null;
  return { w, bn, stride: opts.stride, depthwise: isDw, act: opts.act, wGrad };
}

function runConvBn(u: ConvBn, x: tf.Tensor, ctx: ForwardCtx): tf.Tensor {
  const x4 = x as tf.Tensor4D;
  const y = u.wGrad ? frozenConv(x4, u.w, u.wGrad, u.depthwise) : u.depthwise ? depthwise(x4, u.w, u.stride) : conv(x4, u.w, u.stride);
  return u.bn.apply(y, ctx.training, ctx.collect, u.act);
}

function sequence(name: string, units: ConvBn[], extra: { indicator?: BatchNorm } = {}): Module & { run(x: tf.Tensor, ctx: ForwardCtx): tf.Tensor } {
  return {
    name,
    bns: units.map((u) => u.bn),
    weights: units.map((u) => u.w),
    indicator: extra.indicator,
    run(x, ctx) {
      let h = x;
      for (const u of units) h = runConvBn(u, h, ctx);
      return h;
    },
    forward(x, ctx) {
      return this.run(x, ctx);
    },
  };
}

/** SPOS's projection branch of a stride-2 ShuffleNet block: dw k s2 BN, pw BN ReLU. */
function projectionBranch(b: BuildContext, name: string, c: number, kernel: number, stride: number) {
  return [
    convBn(b, `${name}.proj.dw`, `${name}.proj.bn1`, { kind: 'depthwise', kernel, cin: c, cout: c, stride, act: 'none' }),
    convBn(b, `${name}.proj.pw`, `${name}.proj.bn2`, { kind: 'conv', kernel: 1, cin: c, cout: c, stride: 1, act: 'relu' }),
  ];
}

/**
 * Two-branch ShuffleNetV2 wiring (SPOS): stride 1 splits the channels into even (passed
 * through) and odd (main branch) -- SPOS's channel_shuffle + split in one reshape; stride 2
 * feeds the whole input to both the main and the projection branch. Output = concat.
 */
function shuffleWiring(name: string, stride: number, main: ConvBn[], proj: ConvBn[], candidate: boolean): Module {
  const mainSeq = sequence(`${name}.main`, main);
  const projSeq = sequence(`${name}.proj`, proj);
  const indicator = candidate ? main[main.length - 1].bn : undefined;
  return {
    name,
    bns: [...mainSeq.bns, ...projSeq.bns],
    weights: [...mainSeq.weights, ...projSeq.weights],
    indicator,
    forward(x, ctx) {
      if (stride === 1) {
        const [n, h, w, c] = x.shape;
        const pairs = tf.reshape(x, [n, h, w, c / 2, 2]);
        const [even, odd] = tf.split(pairs, 2, 4).map((t) => tf.reshape(t, [n, h, w, c / 2]));
        return tf.concat([even, mainSeq.run(odd, ctx)], 3);
      }
      return tf.concat([projSeq.run(x, ctx), mainSeq.run(x, ctx)], 3);
    },
  };
}

/**
 * Build one block. `candidate` marks a searchable candidate: its last BN is the indicator
 * (trained even in mode `last-bn`); fixed blocks, stem and head have no indicator.
 */
export function buildModule(b: BuildContext, name: string, spec: BlockSpec, candidate = false): Module {
  switch (spec.type) {
    case 'conv':
      return sequence(name, [
        convBn(b, `${name}.conv`, `${name}.bn`, { kind: 'conv', kernel: spec.kernel, cin: spec.cin, cout: spec.cout, stride: spec.stride, act: spec.act }),
      ]);
    case 'ir': {
      const mid = spec.cin * spec.expand;
      const units: ConvBn[] = [];
      if (spec.expand !== 1) {
        units.push(convBn(b, `${name}.pw1`, `${name}.bn1`, { kind: 'conv', kernel: 1, cin: spec.cin, cout: mid, stride: 1, act: spec.act }));
      }
      units.push(convBn(b, `${name}.dw`, `${name}.bn2`, { kind: 'depthwise', kernel: spec.kernel, cin: mid, cout: mid, stride: spec.stride, act: spec.act }));
      units.push(convBn(b, `${name}.pw2`, `${name}.bn3`, { kind: 'conv', kernel: 1, cin: mid, cout: spec.cout, stride: 1, act: 'none', indicator: candidate }));
      const seq = sequence(name, units, { indicator: candidate ? units[units.length - 1].bn : undefined });
      const residual = spec.stride === 1 && spec.cin === spec.cout;
      return { ...seq, forward: (x, ctx) => (residual ? tf.add(seq.run(x, ctx), x) : seq.run(x, ctx)) };
    }
    case 'shuffle': {
      const inp = spec.stride === 1 ? spec.cin / 2 : spec.cin;
      const outputs = spec.cout - inp;
      const main = [
        convBn(b, `${name}.pw1`, `${name}.bn1`, { kind: 'conv', kernel: 1, cin: inp, cout: spec.mid, stride: 1, act: 'relu' }),
        convBn(b, `${name}.dw`, `${name}.bn2`, { kind: 'depthwise', kernel: spec.kernel, cin: spec.mid, cout: spec.mid, stride: spec.stride, act: 'none' }),
        convBn(b, `${name}.pw2`, `${name}.bn3`, { kind: 'conv', kernel: 1, cin: spec.mid, cout: outputs, stride: 1, act: 'relu', indicator: candidate }),
      ];
      const proj = spec.stride === 2 ? projectionBranch(b, name, inp, spec.kernel, spec.stride) : [];
      return shuffleWiring(name, spec.stride, main, proj, candidate);
    }
    case 'xception': {
      const inp = spec.stride === 1 ? spec.cin / 2 : spec.cin;
      const outputs = spec.cout - inp;
      const m = spec.mid;
      const main = [
        convBn(b, `${name}.dw1`, `${name}.bn1`, { kind: 'depthwise', kernel: 3, cin: inp, cout: inp, stride: spec.stride, act: 'none' }),
        convBn(b, `${name}.pw1`, `${name}.bn2`, { kind: 'conv', kernel: 1, cin: inp, cout: m, stride: 1, act: 'relu' }),
        convBn(b, `${name}.dw2`, `${name}.bn3`, { kind: 'depthwise', kernel: 3, cin: m, cout: m, stride: 1, act: 'none' }),
        convBn(b, `${name}.pw2`, `${name}.bn4`, { kind: 'conv', kernel: 1, cin: m, cout: m, stride: 1, act: 'relu' }),
        convBn(b, `${name}.dw3`, `${name}.bn5`, { kind: 'depthwise', kernel: 3, cin: m, cout: m, stride: 1, act: 'none' }),
        convBn(b, `${name}.pw3`, `${name}.bn6`, { kind: 'conv', kernel: 1, cin: m, cout: outputs, stride: 1, act: 'relu', indicator: candidate }),
      ];
      const proj = spec.stride === 2 ? projectionBranch(b, name, inp, 3, spec.stride) : [];
      return shuffleWiring(name, spec.stride, main, proj, candidate);
    }
    case 'identity': {
      const bn = b.bn(`${name}.bn`, spec.channels, candidate);
      return { name, bns: [bn], weights: [], indicator: candidate ? bn : undefined, forward: (x, ctx) => bn.apply(x, ctx.training, ctx.collect) };
    }
    case 'pool':
      return { name, bns: [], weights: [], forward: (x) => tf.mean(x, [1, 2]) };
    case 'linear': {
      const w = b.weight(`${name}.w`, { kind: 'linear', kernel: 1, cin: spec.cin, cout: spec.cout }, false) as tf.Tensor2D;
      const bias = spec.bias ? b.bias(`${name}.b`, spec.cout) : undefined;
      return {
        name,
        bns: [],
        weights: bias ? [w, bias] : [w],
        forward(x, ctx) {
          const dropped = ctx.training && spec.dropout > 0 && ctx.dropoutSeed !== undefined ? tf.dropout(x, spec.dropout, undefined, ctx.dropoutSeed) : x;
          const y = tf.matMul(dropped as tf.Tensor2D, w);
          return bias ? tf.add(y, bias) : y;
        },
      };
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown block type ${JSON.stringify(never)}`);
    }
  }
}
