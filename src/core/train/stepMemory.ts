// The estimated memory of one training step, from the recipe alone (nothing built): float32
// parameters of the whole supernet (every candidate) times three (weight, gradient, momentum), plus
// the activations one path keeps for the backward pass for a whole batch. Per block the estimate is
// 3 tensors (conv, BN, activation outputs) x its convs x its widest channel count x the input side
// squared: an over-estimate by at most a small factor, never an under-estimate of the dominant terms.
// Checked against LIMITS.stepMemoryBytes before a supernet is built (CLI and worker alike,
// through validateRecipe).
import { LIMITS, LimitError, MiB } from '../limits.ts';
import type { SupernetRecipe } from './recipe.ts';
import { blockCost } from '../space/cost.ts';
import { candidateBlock, resolveSpace } from '../space/decode.ts';
import { getSpace } from '../space/spaces.ts';
import type { BlockSpec } from '../space/types.ts';

/** Activation elements one block keeps per image (see the header comment). */
function blockActivations(b: BlockSpec, n: number): number {
  const sq = n * n;
  switch (b.type) {
    case 'conv':
      return 3 * Math.max(b.cin, b.cout) * sq;
    case 'ir':
      return 3 * 3 * Math.max(b.cin * b.expand, b.cout) * sq;
    case 'shuffle':
      return 3 * 5 * Math.max(b.cin, b.cout, b.mid) * sq;
    case 'xception':
      return 3 * 8 * Math.max(b.cin, b.cout, b.mid) * sq;
    case 'identity':
      return 2 * b.channels * sq;
    case 'pool':
      return b.channels;
    case 'linear':
      return b.cin + b.cout;
    default:
      return 0;
  }
}

export interface StepMemory {
  /** Parameters of the whole supernet (every candidate of every layer). */
  params: number;
  /** Activation elements of one path for one image (widest candidate per layer). */
  activationsPerImage: number;
  /** Estimated bytes of one step: 4 x (3 x params + batch x (input + activations)). */
  bytes: number;
}

export function estimateStepMemory(recipe: Pick<SupernetRecipe, 'space' | 'config'>, batchSize: number): StepMemory {
  const rs = resolveSpace(getSpace(recipe.space), recipe.config);
  let params = 0;
  let acts = 0;
  let size = recipe.config.resolution;
  for (const b of rs.prefix) {
    const c = blockCost(b, size);
    params += c.params;
    acts += blockActivations(b, size);
    size = c.outputSize;
  }
  for (const layer of rs.layers) {
    let widest = 0;
    let out = size;
    for (const choice of layer.choices) {
      const b = candidateBlock(rs, layer.layerIdx, choice);
      const c = blockCost(b, layer.inputSize);
      params += c.params;
      widest = Math.max(widest, blockActivations(b, layer.inputSize));
      out = c.outputSize;
    }
    acts += widest;
    size = out;
  }
  for (const b of rs.suffix) {
    const c = blockCost(b, size);
    params += c.params;
    acts += blockActivations(b, size);
    size = c.outputSize;
  }
  const input = 3 * recipe.config.resolution ** 2;
  return { params, activationsPerImage: acts, bytes: 4 * (3 * params + batchSize * (input + acts)) };
}

/**
 * Throws a LimitError when the estimate exceeds `budgetBytes` (default LIMITS.stepMemoryBytes),
 * naming the estimate, the budget and the settings that drive it.
 */
export function checkStepMemory(recipe: Pick<SupernetRecipe, 'space' | 'config'>, batchSize: number, budgetBytes: number = LIMITS.stepMemoryBytes): StepMemory {
  const m = estimateStepMemory(recipe, batchSize);
  if (m.bytes > budgetBytes) {
    const c = recipe.config;
    throw new LimitError(
      `one training step needs an estimated ${Math.ceil(m.bytes / MiB)} MiB (space ${recipe.space}, resolution ${c.resolution}, width ${c.widthMult}, classes ${c.numClasses}, batch ${batchSize}: ` +
        `${m.params} supernet parameters, ${m.activationsPerImage} activations per image), over the ${Math.round(budgetBytes / MiB)} MiB budget (stepMemoryBytes): lower --res, --width or --batch`,
      'stepMemoryBytes',
    );
  }
  return m;
}
