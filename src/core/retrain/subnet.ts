// A picked subnet as a standalone network: the space's prefix, one block per searchable layer
// with the chosen op only (identity layers are dropped: in the exported network they cost
// nothing and have no BN, docs/search.md), the suffix. Built by the same builder as the supernet
// (model/blocks.ts) with a build context in mode `all`, so every conv / linear weight and every
// BN affine pair is a trainable variable, and weights are a pure function of (init, gains,
// seed, parameter name). Layer l's block is named like its supernet candidate ("L3.c2").
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm } from '../model/bn.ts';
import { buildModule } from '../model/blocks.ts';
import { BuildContext } from '../model/context.ts';
import type { ForwardCtx, Module } from '../model/module.ts';
import { candidateName } from '../model/supernet.ts';
import { candidateBlock, resolveSpace } from '../space/decode.ts';
import { getSpace } from '../space/spaces.ts';
import { IDENTITY, type ResolvedSpace } from '../space/types.ts';
import { validateRetrainRecipe, type RetrainRecipe } from './recipe.ts';

export class Subnet {
  readonly resolved: ResolvedSpace;
  readonly modules: Module[];
  private readonly ctx: BuildContext;

  constructor(readonly recipe: RetrainRecipe) {
    validateRetrainRecipe(recipe);
    this.resolved = resolveSpace(getSpace(recipe.space), recipe.config);
    this.ctx = new BuildContext({ init: recipe.init, gains: recipe.gains, seed: recipe.seed }, 'all');
    try {
      const rs = this.resolved;
      const prefix = rs.prefix.map((spec, i) => buildModule(this.ctx, i === 0 ? 'stem' : `fixed${i - 1}`, spec));
      const mids: Module[] = [];
      recipe.arch.forEach((choice, l) => {
        if (choice === IDENTITY) return;
        const spec = candidateBlock(rs, l, choice);
        const m = buildModule(this.ctx, candidateName(l, choice), spec);
        if (recipe.zeroInitResidual && spec.type === 'ir' && spec.stride === 1 && spec.cin === spec.cout) {
          const last = m.bns[m.bns.length - 1];
          tf.tidy(() => last.gamma.assign(tf.zerosLike(last.gamma)));
        }
        mids.push(m);
      });
      const suffix = rs.suffix.map((spec) => {
        const s = spec.type === 'linear' && recipe.dropout !== null ? { ...spec, dropout: recipe.dropout } : spec;
        return buildModule(this.ctx, spec.type === 'conv' ? 'head' : spec.type === 'pool' ? 'pool' : 'fc', s);
      });
      this.modules = [...prefix, ...mids, ...suffix];
    } catch (e) {
      this.ctx.dispose();
      throw e;
    }
  }

  /** Logits [N, classes] for NHWC input `x`. */
  forward(x: tf.Tensor4D, ctx: ForwardCtx): tf.Tensor2D {
    let h: tf.Tensor = x;
    for (const m of this.modules) h = m.forward(h, ctx);
    return h as tf.Tensor2D;
  }

  /** Every BN by parameter name (e.g. "L3.c2.bn3"). */
  get batchNorms(): ReadonlyMap<string, BatchNorm> {
    return this.ctx.bns;
  }

  /** Every conv / linear weight and bias by parameter name (all trainable variables). */
  get weights(): ReadonlyMap<string, tf.Variable> {
    return new Map([...this.ctx.weights].map(([name, w]) => [name, w.tensor as tf.Variable]));
  }

  /** Trainable parameters by name: weights ("L3.c2.pw1"), BN affine pairs ("L3.c2.bn3.gamma"). */
  parameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>(this.weights);
    for (const [name, bn] of this.batchNorms) {
      out.set(`${name}.gamma`, bn.gamma);
      out.set(`${name}.beta`, bn.beta);
    }
    return out;
  }

  /** Number of trainable scalars (equals the cost model's params of the subnet). */
  get numParams(): number {
    let n = 0;
    for (const v of this.parameters().values()) n += v.size;
    return n;
  }

  dispose(): void {
    this.ctx.dispose();
  }
}
