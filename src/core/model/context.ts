// The build context: the single place where frozen weights and BN layers are created, so the
// naming scheme, the seeded regeneration and the trainability rule of each training mode live in
// one file. Frozen weights are a pure function of (init, gains, seed, parameter name).
import * as tf from '@tensorflow/tfjs-core';
import { deriveRng } from '../rng.ts';
import { initWeight, type InitGains, type InitName, type WeightShape } from '../init/index.ts';
import type { TrainMode } from '../train/modes.ts';
import { BatchNorm } from './bn.ts';

export interface WeightRecipe {
  init: InitName;
  gains: InitGains;
  seed: number;
}

/** A frozen weight (plain tensor) or, in mode `all`, a trainable variable. */
export interface WeightParam {
  name: string;
  tensor: tf.Tensor;
  trainable: boolean;
}

let instanceCounter = 0;

export class BuildContext {
  readonly varPrefix: string;
  readonly weights = new Map<string, WeightParam>();
  readonly bns = new Map<string, BatchNorm>();
  /** Tensors computed once from frozen weights at build time (ops.ts inputGradWeight); owned here. */
  private readonly derived: tf.Tensor[] = [];

  constructor(
    readonly recipe: WeightRecipe,
    readonly mode: TrainMode,
  ) {
    this.varPrefix = `isonas${++instanceCounter}`;
  }

  /** tfjs layout of a weight: conv [k,k,cin,cout], depthwise [k,k,c,1], linear [cin,cout]. */
  static tfShape(s: WeightShape): number[] {
    if (s.kind === 'conv') return [s.kernel, s.kernel, s.cin, s.cout];
    if (s.kind === 'depthwise') return [s.kernel, s.kernel, s.cin, 1];
    return [s.cin, s.cout];
  }

  /** The initial values of a named weight, regenerated from the recipe alone. */
  static initialValues(recipe: WeightRecipe, name: string, shape: WeightShape, followedByRelu: boolean): Float32Array {
    const gain = followedByRelu ? recipe.gains.relu : recipe.gains.linear;
    return initWeight(recipe.init, shape, deriveRng(recipe.seed, 'weight', name), gain);
  }

  weight(name: string, shape: WeightShape, followedByRelu: boolean): tf.Tensor {
    if (this.weights.has(name)) throw new Error(`duplicate weight name ${name}`);
    const values = BuildContext.initialValues(this.recipe, name, shape, followedByRelu);
    const trainable = this.mode === 'all';
    const tensor = trainable
      ? tf.tidy(() => tf.variable(tf.tensor(values, BuildContext.tfShape(shape)), true, `${this.varPrefix}/${name}`))
      : tf.tensor(values, BuildContext.tfShape(shape));
    this.weights.set(name, { name, tensor, trainable });
    return tensor;
  }

  /** A zero-initialised bias (classifier), trainable only in mode `all`. */
  bias(name: string, size: number): tf.Tensor {
    if (this.weights.has(name)) throw new Error(`duplicate weight name ${name}`);
    const trainable = this.mode === 'all';
    const tensor = trainable ? tf.tidy(() => tf.variable(tf.zeros([size]), true, `${this.varPrefix}/${name}`)) : tf.zeros([size]);
    this.weights.set(name, { name, tensor, trainable });
    return tensor;
  }

  /** A BN layer; `isIndicator` marks a candidate's last BN (trained in every mode). */
  bn(name: string, channels: number, isIndicator: boolean): BatchNorm {
    if (this.bns.has(name)) throw new Error(`duplicate BN name ${name}`);
    const trainable = this.mode !== 'last-bn' || isIndicator;
    const bn = new BatchNorm(name, channels, this.varPrefix, trainable);
    this.bns.set(name, bn);
    return bn;
  }

  /** Take ownership of a tensor derived from frozen weights (disposed with the context). */
  derive<T extends tf.Tensor>(t: T): T {
    this.derived.push(t);
    return t;
  }

  dispose(): void {
    tf.dispose(this.derived);
    this.derived.length = 0;
    for (const w of this.weights.values()) w.tensor.dispose();
    for (const bn of this.bns.values()) bn.dispose();
    this.weights.clear();
    this.bns.clear();
  }
}
