// Exact MACs and parameter counts of BlockSpec lists, with docs/method.md's convention (as thop /
// fvcore): a conv costs (output elements) x (cin / groups) x k x k MACs, a linear in x out;
// BN, activations, pooling, residual adds, concat and channel shuffle cost nothing. Params count
// every weight, every bias and each BN's affine pair (2 per channel). Convs are bias-free.
// An identity block costs 0 MACs and 0 params: its BN is a search-time indicator only.

import { decodeArch, resolveSpace } from './decode';
import { convOutputSize } from './spatial';
import type { Arch, BlockSpec, SpaceConfig, SpaceDef } from './types';
import { REFERENCE_CONFIG } from './types';

export interface Cost {
  macs: number;
  params: number;
}

export interface BlockCost extends Cost {
  /** Of `params`: BN affine parameters (2 per BN channel). */
  bnParams: number;
  /** Spatial side of the block's output (1 after pool / linear). */
  outputSize: number;
}

export interface NetworkCost extends Cost {
  /** Of `params`: BN affine parameters (2 per BN channel). */
  bnParams: number;
}

/** Accumulates conv + BN costs while threading the spatial size. */
class Tally {
  macs = 0;
  params = 0;
  bnParams = 0;

  /** Conv kxk (bias-free) followed by BN; returns the output spatial size. */
  convBn(inputSize: number, cin: number, cout: number, kernel: number, stride: number, groups = 1): number {
    if (cin % groups !== 0 || cout % groups !== 0) throw new Error(`conv ${cin}->${cout} is not divisible into ${groups} groups`);
    const out = convOutputSize(inputSize, kernel, stride);
    const weights = cout * (cin / groups) * kernel * kernel;
    this.macs += out * out * weights;
    this.params += weights + 2 * cout;
    this.bnParams += 2 * cout;
    return out;
  }

  /** Depthwise kxk conv + BN on `channels` channels. */
  dwBn(inputSize: number, channels: number, kernel: number, stride: number): number {
    return this.convBn(inputSize, channels, channels, kernel, stride, channels);
  }

  result(outputSize: number): BlockCost {
    return { macs: this.macs, params: this.params, bnParams: this.bnParams, outputSize };
  }
}

/** MACs, params and output size of one block applied to a square input of side `inputSize`. */
export function blockCost(b: BlockSpec, inputSize: number): BlockCost {
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error(`blockCost: inputSize must be a positive integer, got ${inputSize}`);
  const t = new Tally();
  switch (b.type) {
    case 'conv':
      return t.result(t.convBn(inputSize, b.cin, b.cout, b.kernel, b.stride));
    case 'ir': {
      // [1x1 cin->hidden BN act] (absent at expand 1), dw kxk stride s BN act, 1x1 hidden->cout BN.
      const hidden = b.cin * b.expand;
      let n = inputSize;
      if (b.expand !== 1) n = t.convBn(n, b.cin, hidden, 1, 1);
      n = t.dwBn(n, hidden, b.kernel, b.stride);
      n = t.convBn(n, hidden, b.cout, 1, 1);
      return t.result(n);
    }
    case 'shuffle': {
      // SPOS Shufflenet: main branch on inp channels (all at stride 2, half at stride 1):
      // 1x1 inp->mid BN ReLU, dw kxk stride s BN, 1x1 mid->(cout - inp) BN ReLU.
      // Stride 2 adds the projection branch: dw kxk stride 2 on inp BN, 1x1 inp->inp BN ReLU.
      const inp = b.stride === 2 ? b.cin : b.cin / 2;
      let n = t.convBn(inputSize, inp, b.mid, 1, 1);
      n = t.dwBn(n, b.mid, b.kernel, b.stride);
      n = t.convBn(n, b.mid, b.cout - inp, 1, 1);
      if (b.stride === 2) projection(t, inputSize, inp, b.kernel);
      return t.result(n);
    }
    case 'xception': {
      // SPOS Shuffle_Xception main branch: dw3x3 stride s on inp BN, 1x1 inp->mid BN ReLU,
      // dw3x3 BN, 1x1 mid->mid BN ReLU, dw3x3 BN, 1x1 mid->(cout - inp) BN ReLU.
      const inp = b.stride === 2 ? b.cin : b.cin / 2;
      let n = t.dwBn(inputSize, inp, 3, b.stride);
      n = t.convBn(n, inp, b.mid, 1, 1);
      n = t.dwBn(n, b.mid, 3, 1);
      n = t.convBn(n, b.mid, b.mid, 1, 1);
      n = t.dwBn(n, b.mid, 3, 1);
      n = t.convBn(n, b.mid, b.cout - inp, 1, 1);
      if (b.stride === 2) projection(t, inputSize, inp, 3);
      return t.result(n);
    }
    case 'identity':
      return t.result(inputSize);
    case 'pool':
      return t.result(1);
    case 'linear':
      if (inputSize !== 1) throw new Error(`linear classifier expects a pooled 1x1 input, got ${inputSize}x${inputSize}`);
      t.macs += b.cin * b.cout;
      t.params += b.cin * b.cout + (b.bias ? b.cout : 0);
      return t.result(1);
    default: {
      const never: never = b;
      throw new Error(`blockCost: unknown block ${JSON.stringify(never)}`);
    }
  }
}

/** ShuffleNetV2 stride-2 projection branch: dw kxk stride 2 BN, 1x1 inp->inp BN ReLU. */
function projection(t: Tally, inputSize: number, inp: number, kernel: number): void {
  const n = t.dwBn(inputSize, inp, kernel, 2);
  t.convBn(n, inp, inp, 1, 1);
}

/** Total cost of a plain block list on a square input of side `resolution`. */
export function networkCost(blocks: BlockSpec[], resolution: number): NetworkCost {
  let size = resolution;
  let macs = 0;
  let params = 0;
  let bnParams = 0;
  for (const b of blocks) {
    const c = blockCost(b, size);
    macs += c.macs;
    params += c.params;
    bnParams += c.bnParams;
    size = c.outputSize;
  }
  return { macs, params, bnParams };
}

/** The reference configuration of `config`: 224 px and 1000 classes, same width and identity. */
export function referenceConfig(config: SpaceConfig): SpaceConfig {
  return { ...config, resolution: REFERENCE_CONFIG.resolution, numClasses: REFERENCE_CONFIG.numClasses };
}

/**
 * Cost of `arch`'s standalone network for `config`, and for the reference: the same
 * architecture at 224 px and 1000 classes with the SAME width multiplier (so the reference is the
 * figure papers quote for that width, and the search limits of docs/method.md apply to it).
 */
export function archCost(space: SpaceDef, config: SpaceConfig, arch: Arch): Cost & { reference: Cost } {
  const here = networkCost(decodeArch(resolveSpace(space, config), arch), config.resolution);
  const refConfig = referenceConfig(config);
  const ref = networkCost(decodeArch(resolveSpace(space, refConfig), arch), refConfig.resolution);
  return { macs: here.macs, params: here.params, reference: { macs: ref.macs, params: ref.params } };
}
