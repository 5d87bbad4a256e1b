// Classification loss and accuracy on logits [N, K] with integer labels [N].
import * as tf from '@tensorflow/tfjs-core';

/** Cross-entropy against (1 - eps) * onehot + eps / K (label smoothing), averaged over the batch. */
export function smoothedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, eps: number): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const target = tf.add(tf.mul(tf.oneHot(labels, k), 1 - eps), eps / k);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

/** Fraction of rows whose argmax equals the label. */
export function top1(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
}

/** Fraction of rows whose label is among the k largest logits. */
export function topK(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const kk = Math.min(k, logits.shape[1]);
    const { indices } = tf.topk(logits, kk);
    const hit = tf.equal(indices, tf.reshape(tf.cast(labels, 'int32'), [-1, 1]));
    return tf.mean(tf.cast(tf.any(hit, 1), 'float32')) as tf.Scalar;
  });
}
