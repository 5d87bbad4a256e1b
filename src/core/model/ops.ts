// Thin wrappers over unfused tfjs ops with PyTorch-style symmetric padding (k // 2), so the
// spatial sizes and pixel alignment match the reference implementations. No tf.fused.* here:
// fused convs compute filter gradients eagerly, which BN-only training must not pay for.
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../space/types.ts';

export function conv(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const k = w.shape[0];
  return tf.conv2d(x, w, stride, Math.floor(k / 2));
}

export function depthwise(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const k = w.shape[0];
  return tf.depthwiseConv2d(x, w, stride, Math.floor(k / 2));
}

export function activate(x: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'none':
      return x;
    default: {
      const never: never = act;
      throw new Error(`unknown activation ${String(never)}`);
    }
  }
}

/**
 * How the input gradient of a convolution over a FROZEN weight is computed (a speed lever,
 * docs/benchmarks.md): 'forward' = a forward convolution of dy over the weight pre-transformed
 * once at build time (inputGradWeight: spatially flipped, in/out channels swapped), as a custom
 * gradient; 'native' = tfjs's own Conv2DBackpropInput / DepthwiseConv2dNativeBackpropInput.
 * Both give the same dx (ops.test.ts). Only stride-1 convolutions with odd kernels have a
 * transform; the rest always use tfjs's gradient.
 */
export type FrozenConvGrad = 'forward' | 'native';
let frozenConvGrad: FrozenConvGrad = 'forward';

/** Select the frozen-conv input gradient (benchmarks compare both); returns the previous one. */
export function setFrozenConvGrad(mode: FrozenConvGrad): FrozenConvGrad {
  const prev = frozenConvGrad;
  frozenConvGrad = mode;
  return prev;
}

/**
 * The weight whose forward convolution over dy is dx, for a stride-1 convolution with odd kernel k
 * and padding k // 2: conv [k,k,cin,cout] -> reverse(kh, kw) transposed to [k,k,cout,cin];
 * depthwise [k,k,c,1] -> reverse(kh, kw). The caller owns the result.
 */
export function inputGradWeight(w: tf.Tensor4D, isDepthwise: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    const flipped = tf.reverse(w, [0, 1]);
    return isDepthwise ? flipped : tf.transpose(flipped, [0, 1, 3, 2]);
  });
}

/** True when inputGradWeight's transform is exact for this convolution. */
export function hasInputGradWeight(kernel: number, stride: number): boolean {
  return stride === 1 && kernel % 2 === 1;
}

/**
 * A stride-1 convolution (or depthwise) over a frozen weight whose input gradient is the forward
 * convolution of dy over `wGrad` = inputGradWeight(w). No filter gradient exists on this path.
 */
export function frozenConv(x: tf.Tensor4D, w: tf.Tensor4D, wGrad: tf.Tensor4D, isDepthwise: boolean): tf.Tensor4D {
  if (frozenConvGrad === 'native') return isDepthwise ? depthwise(x, w, 1) : conv(x, w, 1);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xIn = args[0] as tf.Tensor4D;
    return {
      value: isDepthwise ? depthwise(xIn, w, 1) : conv(xIn, w, 1),
      gradFunc: (dy: tf.Tensor) => (isDepthwise ? depthwise(dy as tf.Tensor4D, wGrad, 1) : conv(dy as tf.Tensor4D, wGrad, 1)),
    };
  });
  return (op as (t: tf.Tensor) => tf.Tensor)(x) as tf.Tensor4D;
}
