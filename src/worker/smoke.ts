// The fixed smoke computation (defined in protocol/engine.ts): conv2d of a fixed input with a fixed
// filter, then per-channel moments. Exercises upload, a real kernel, a reduction and an async
// readback on whichever backend is active.

import * as tf from '@tensorflow/tfjs-core';
import { SMOKE_FILTER_SHAPE, SMOKE_INPUT_SHAPE } from './protocol/index.ts';

export interface SmokeMoments {
  outShape: number[];
  mean: Float32Array;
  variance: Float32Array;
}

/** Fills `length` values with ((mult * k) mod modulus - offset) / offset, k = 0-based flat index. */
function fixedValues(length: number, mult: number, modulus: number, offset: number): Float32Array {
  const out = new Float32Array(length);
  for (let k = 0; k < length; k++) out[k] = (((mult * k) % modulus) - offset) / offset;
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Runs the smoke computation on the active backend; leaves no tensors behind. */
export async function runSmoke(): Promise<SmokeMoments> {
  const [meanT, varianceT, outShape] = tf.tidy(() => {
    const x = tf.tensor4d(fixedValues(size(SMOKE_INPUT_SHAPE), 7, 11, 5), [...SMOKE_INPUT_SHAPE]);
    const w = tf.tensor4d(fixedValues(size(SMOKE_FILTER_SHAPE), 5, 13, 6), [...SMOKE_FILTER_SHAPE]);
    const y = tf.conv2d(x, w, 1, 'valid');
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    return [mean, variance, y.shape] as const;
  });
  try {
    // Async readback only: dataSync would stall (and on WebGPU, block) the worker.
    const [mean, variance] = await Promise.all([meanT.data(), varianceT.data()]);
    // Copies: a backend may hand back its own storage, and the caller transfers these buffers.
    return { outShape: [...outShape], mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
  } finally {
    meanT.dispose();
    varianceT.dispose();
  }
}
