// Restoring decoded checkpoint tensors into live ones, shared by the supernet and the subnet
// checkpoints: each stored tensor is taken once, by name, with its shape checked; whatever is left
// at the end is an error, so a blob never half-fits silently.
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, type CheckpointTensor } from './checkpointCodec.ts';

export interface TensorRestorer {
  /** A new tensor of the stored `name` (the caller owns it); its shape must equal `like`'s. */
  take(name: string, like: tf.Tensor): tf.Tensor;
  /** Assigns the stored `name` to `v`. */
  assign(name: string, v: tf.Variable): void;
  /** Throws when a stored tensor was never taken. */
  finish(): void;
}

/** `what` names the network in messages ("supernet", "subnet"); `source` names the file. */
export function tensorRestorer(tensors: CheckpointTensor[], source: string, what: string): TensorRestorer {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const take = (name: string, like: tf.Tensor): tf.Tensor => {
    const t = byName.get(name);
    if (!t) throw new CheckpointError(`${source}: missing tensor ${name}`, 'invalid-content', source);
    if (t.shape.join('x') !== like.shape.join('x')) {
      throw new CheckpointError(`${source}: tensor ${name} has shape [${t.shape}], the ${what} needs [${like.shape}]`, 'invalid-content', source);
    }
    byName.delete(name);
    return tf.tensor(t.data, t.shape);
  };
  return {
    take,
    assign(name, v) {
      const t = take(name, v);
      v.assign(t);
      t.dispose();
    },
    finish() {
      if (byName.size > 0) {
        throw new CheckpointError(`${source}: unexpected tensors ${[...byName.keys()].slice(0, 3).join(', ')}`, 'invalid-content', source);
      }
    },
  };
}
