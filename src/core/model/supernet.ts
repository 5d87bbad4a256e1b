// The weight-sharing supernet: frozen conv/linear weights regenerated from (space, config,
// init, seed), BN affine parameters as variables, one module per (layer, candidate), and the
// identity-BN candidate (-1) on every normal layer when the config enables it.
import * as tf from '@tensorflow/tfjs-core';
import { getSpace } from '../space/spaces.ts';
import { candidateBlock, resolveSpace } from '../space/decode.ts';
import type { Arch, ResolvedSpace } from '../space/types.ts';
import type { SupernetRecipe } from '../train/recipe.ts';
import type { BatchNorm } from './bn.ts';
import { buildModule } from './blocks.ts';
import { BuildContext } from './context.ts';
import type { ForwardCtx, Module } from './module.ts';

export function candidateName(layerIdx: number, choice: number): string {
  return choice < 0 ? `L${layerIdx}.id` : `L${layerIdx}.c${choice}`;
}

export class Supernet {
  readonly resolved: ResolvedSpace;
  private readonly ctx: BuildContext;
  private readonly prefix: Module[];
  private readonly suffix: Module[];
  /** layers[l] maps a choice index (-1 = identity) to its module. */
  private readonly layers: Array<Map<number, Module>>;

  constructor(readonly recipe: SupernetRecipe) {
    this.resolved = resolveSpace(getSpace(recipe.space), recipe.config);
    this.ctx = new BuildContext({ init: recipe.init, gains: recipe.gains, seed: recipe.seed }, recipe.mode);
    try {
      this.prefix = this.resolved.prefix.map((spec, i) => buildModule(this.ctx, i === 0 ? 'stem' : `fixed${i - 1}`, spec));
      this.layers = this.resolved.layers.map((layer) => {
        const m = new Map<number, Module>();
        for (const choice of layer.choices) {
          m.set(choice, buildModule(this.ctx, candidateName(layer.layerIdx, choice), candidateBlock(this.resolved, layer.layerIdx, choice), true));
        }
        return m;
      });
      this.suffix = this.resolved.suffix.map((spec) => {
        const s = spec.type === 'linear' && recipe.dropout !== null ? { ...spec, dropout: recipe.dropout } : spec;
        return buildModule(this.ctx, spec.type === 'conv' ? 'head' : spec.type === 'pool' ? 'pool' : 'fc', s);
      });
    } catch (e) {
      this.ctx.dispose();
      throw e;
    }
  }

  get numLayers(): number {
    return this.layers.length;
  }

  /** The modules an architecture runs through, in order. Validates the choices. */
  pathModules(arch: Arch): Module[] {
    if (arch.length !== this.layers.length) {
      throw new Error(`architecture has ${arch.length} choices; ${this.recipe.space} has ${this.layers.length} searchable layers`);
    }
    const mids = arch.map((choice, l) => {
      const m = this.layers[l].get(choice);
      if (!m) throw new Error(`layer ${l}: choice ${choice} is not offered (choices ${this.resolved.layers[l].choices.join(',')})`);
      return m;
    });
    return [...this.prefix, ...mids, ...this.suffix];
  }

  /** Logits [N, classes] of the path `arch` for NHWC input `x`. */
  forward(x: tf.Tensor4D, arch: Arch, ctx: ForwardCtx): tf.Tensor2D {
    let h: tf.Tensor = x;
    for (const m of this.pathModules(arch)) h = m.forward(h, ctx);
    return h as tf.Tensor2D;
  }

  /** Trainable variables touched by a path (or by the whole supernet), in a stable order. */
  trainableVariables(arch?: Arch): tf.Variable[] {
    const modules = arch ? this.pathModules(arch) : this.allModules();
    const out: tf.Variable[] = [];
    for (const m of modules) {
      for (const bn of m.bns) {
        if (bn.gamma.trainable) out.push(bn.gamma, bn.beta);
      }
      for (const w of m.weights) if (w instanceof tf.Variable && w.trainable) out.push(w);
    }
    return out;
  }

  allModules(): Module[] {
    return [...this.prefix, ...this.layers.flatMap((m) => [...m.values()]), ...this.suffix];
  }

  /** Every BN by parameter name. */
  get batchNorms(): ReadonlyMap<string, BatchNorm> {
    return this.ctx.bns;
  }

  /** Every conv / linear weight by parameter name (frozen tensors, or variables in mode `all`). */
  get weightParams(): ReadonlyMap<string, { tensor: tf.Tensor; trainable: boolean }> {
    return this.ctx.weights;
  }

  /** The module of candidate `choice` (-1 = identity) of a searchable layer. */
  candidate(layerIdx: number, choice: number): Module {
    const m = this.layers[layerIdx]?.get(choice);
    if (!m) throw new Error(`layer ${layerIdx}: no candidate ${choice}`);
    return m;
  }

  dispose(): void {
    this.ctx.dispose();
  }
}
