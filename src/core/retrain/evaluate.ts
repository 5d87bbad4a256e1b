// Held-out evaluation of a standalone subnet: inference mode (BN running statistics), top-1 and
// top-5 counted over every image of up to `maxBatches` held-out batches (all of the split when
// null), the smoothed loss alongside. Counts stay on the device; one read-back at the end.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchSource } from '../data/source.ts';
import { smoothedCrossEntropy } from '../train/loss.ts';
import type { Subnet } from './subnet.ts';
import { batchTensors } from '../train/batchTensors.ts';

export interface EvalResult {
  top1: number;
  top5: number;
  /** Mean cross-entropy without label smoothing. */
  loss: number;
  images: number;
}

export interface EvalOptions {
  batchSize: number;
  /** Held-out batches to read at most; null = until the split ends. */
  maxBatches: number | null;
}

/** Correct-in-top-k count of a batch (as a float32 scalar). */
function hitsAtK(logits: tf.Tensor2D, labels: tf.Tensor1D, k: number): tf.Scalar {
  const kk = Math.min(k, logits.shape[1]);
  const { indices } = tf.topk(logits, kk);
  return tf.sum(tf.cast(tf.any(tf.equal(indices, tf.reshape(labels, [-1, 1])), 1), 'float32'));
}

export async function evaluateSubnet(net: Subnet, source: BatchSource, o: EvalOptions): Promise<EvalResult> {
  let sums: tf.Tensor1D = tf.zeros([3]);
  let images = 0;
  try {
    for (let i = 0; o.maxBatches === null || i < o.maxBatches; i++) {
      const b = await source.valBatch(i, o.batchSize);
      if (!b) break;
      const next = tf.tidy(() => {
        const { x, y } = batchTensors(b);
        const logits = net.forward(x, { training: false });
        const loss = tf.mul(smoothedCrossEntropy(logits, y, 0), b.size);
        return tf.add(sums, tf.stack([hitsAtK(logits, y, 1), hitsAtK(logits, y, 5), loss])) as tf.Tensor1D;
      });
      sums.dispose();
      sums = next;
      images += b.size;
    }
    if (images === 0) throw new Error(`evaluate: data "${source.name}" has no held-out images`);
    const [c1, c5, l] = await sums.data();
    return { top1: c1 / images, top5: c5 / images, loss: l / images, images };
  } finally {
    sums.dispose();
  }
}
