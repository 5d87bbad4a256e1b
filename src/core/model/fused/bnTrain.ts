// The fused training-mode BN + activation on the webgpu and webgl backends (kernels in
// webgpuBn.ts, WGSL, and webglBn.ts, GLSL; same kernel names and contracts):
// forward = 2 dispatches (statistics, normalise+affine+activation), backward = 2 (one reduction,
// one pass for dx), plus the slices handing the batch statistics and dgamma / dbeta out as [C]
// vectors. Other backends (cpu, wasm) get null and run the composed ops (bn.ts: bnTrain). A lever
// (setFusedBn, docs/benchmarks.md) turns fusion off for A/B runs and as an escape hatch.
import * as tf from '@tensorflow/tfjs-core';
import { registerWebglFusedBn, webglFusedShapeOk } from './webglBn.ts';
import { FUSED_BN_KERNELS, fusedBnAttrs, registerWebgpuFusedBn, type FusedAct } from './webgpuBn.ts';

export type FusedBnMode = 'on' | 'off';
let mode: FusedBnMode = 'on';

/** Select fused BN training ('on': where the backend has the kernels, webgpu and webgl); returns the previous mode. */
export function setFusedBn(next: FusedBnMode): FusedBnMode {
  const prev = mode;
  mode = next;
  return prev;
}

export function getFusedBn(): FusedBnMode {
  return mode;
}

/** Backends with fused BN kernels. */
export const FUSED_BN_BACKENDS: readonly string[] = ['webgpu', 'webgl'];

/** Whether bnTrain runs fused right now (lever on and the active backend has the kernels). */
export function fusedBnActive(): boolean {
  return mode === 'on' && FUSED_BN_BACKENDS.includes(tf.getBackend());
}

function run(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
}

/**
 * act(BN_train(x)) with the fused kernels, or null when fusion is not active (the caller then runs
 * the composed ops). Same contract as bn.ts batchNormTrain: onStats receives the batch mean and
 * biased variance (to keep with tf.keep; the caller disposes them).
 */
export function fusedBnTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  act: FusedAct,
  eps: number,
  onStats?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor | null {
  if (!fusedBnActive()) return null;
  if (tf.getBackend() === 'webgl' && !webglFusedShapeOk(x.shape)) return null;
  registerWebgpuFusedBn();
  registerWebglFusedBn();
  const c = x.shape[x.shape.length - 1];
  const attrs = fusedBnAttrs(act, eps);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const stats = run(FUSED_BN_KERNELS.stats, { x: xIn }, {});
    if (onStats) onStats(tf.slice(stats, [0], [c]) as tf.Tensor1D, tf.slice(stats, [c], [c]) as tf.Tensor1D);
    save([xIn, stats, g, b]);
    return {
      value: run(FUSED_BN_KERNELS.apply, { x: xIn, stats, gamma: g, beta: b }, attrs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sStats, sg, sb] = saved;
        const sums = run(FUSED_BN_KERNELS.gradReduce, { dy, x: sx, stats: sStats, gamma: sg, beta: sb }, attrs);
        const dx = run(FUSED_BN_KERNELS.gradInput, { dy, x: sx, stats: sStats, sums, gamma: sg, beta: sb }, attrs);
        return [dx, tf.slice(sums, [c], [c]), tf.slice(sums, [0], [c])];
      },
    };
  });
  return (op as (...t: tf.Tensor[]) => tf.Tensor)(x, gamma, beta);
}
