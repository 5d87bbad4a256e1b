// The one upload of a batch (plain typed arrays) to tensors: NHWC float32 images and int32 labels.
// The caller owns (and disposes) what it returns; Trainer.stepOn(batch) does all of it for a step.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/source.ts';

export function batchTensors(b: Batch): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const x = tf.tensor4d(b.images, [b.size, b.resolution, b.resolution, 3]);
  const y = tf.tensor1d(b.labels, 'int32');
  return { x, y };
}

/** The images alone (analyses that need no labels). */
export function batchImages(b: Batch): tf.Tensor4D {
  return tf.tensor4d(b.images, [b.size, b.resolution, b.resolution, 3]);
}
