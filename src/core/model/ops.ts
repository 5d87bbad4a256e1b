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
