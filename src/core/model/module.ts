// What every block of the supernet offers the forward pass and the trainer.
import type * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm, BnCollector } from './bn.ts';

export interface ForwardCtx {
  /** Batch statistics (true) or running statistics (false) in every BN. */
  training: boolean;
  /** Receives the batch statistics of each BN in training mode. */
  collect?: BnCollector;
  /** Seed of the dropout mask before the classifier; no dropout when absent. */
  dropoutSeed?: number;
}

export interface Module {
  readonly name: string;
  forward(x: tf.Tensor, ctx: ForwardCtx): tf.Tensor;
  /** Every BN of the block, in forward order. */
  readonly bns: BatchNorm[];
  /** Every conv / linear weight and bias of the block (plain tensors, or variables in mode `all`). */
  readonly weights: tf.Tensor[];
  /** The indicator BN of a candidate: its last BN (main branch for ShuffleNet blocks). */
  readonly indicator?: BatchNorm;
}
