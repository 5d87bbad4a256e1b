import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../../testing/tfCpu.ts';
import { BatchNorm } from '../bn.ts';
import { FUSED_BN_BACKENDS, fusedBnActive, fusedBnTrain, setFusedBn } from './bnTrain.ts';
import { WEBGL_MAX_ROWS, webglFusedShapeOk } from './webglBn.ts';

// On the cpu backend the fused op is never active: bnTrain = the composed ops. The fused kernels
// themselves are checked on WebGPU and WebGL in the browser (e2e/fusedBn.spec.ts).
beforeAll(useCpuBackend);
const made: BatchNorm[] = [];
afterEach(() => {
  for (const bn of made.splice(0)) bn.dispose();
  setFusedBn('on');
});

const x = () => tf.tensor4d(Float32Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => Math.cos(i * 0.9) * 4 - 1), [2, 2, 3, 4]);

describe('fused BN training, cpu backend', () => {
  it('is inactive on cpu whatever the lever says, and the lever round-trips', () => {
    expect(setFusedBn('off')).toBe('on');
    expect(fusedBnActive()).toBe(false);
    expect(setFusedBn('on')).toBe('off');
    expect(fusedBnActive()).toBe(false);
    const g = tf.ones([4]) as tf.Tensor1D;
    const b = tf.zeros([4]) as tf.Tensor1D;
    const xs = x();
    expect(fusedBnTrain(xs, g, b, 'relu', 1e-5)).toBeNull();
    tf.dispose([g, b, xs]);
  });

  it('is the default on webgpu and webgl only: cpu and wasm keep the composed ops', () => {
    expect([...FUSED_BN_BACKENDS].sort()).toEqual(['webgl', 'webgpu']);
    expect(FUSED_BN_BACKENDS).not.toContain('cpu');
    expect(FUSED_BN_BACKENDS).not.toContain('wasm');
  });

  it('webgl takes ranks 2 to 4 up to WEBGL_MAX_ROWS rows (else the composed ops)', () => {
    expect(webglFusedShapeOk([7, 12])).toBe(true);
    expect(webglFusedShapeOk([2, 4, 4, 8])).toBe(true);
    expect(webglFusedShapeOk([2, 3, 8])).toBe(true);
    expect(webglFusedShapeOk([12])).toBe(false);
    expect(webglFusedShapeOk([1, 2, 3, 4, 5])).toBe(false);
    expect(webglFusedShapeOk([WEBGL_MAX_ROWS, 3])).toBe(true);
    expect(webglFusedShapeOk([WEBGL_MAX_ROWS + 1, 3])).toBe(false);
  });

  it('BatchNorm.apply applies the activation after BN in training and inference (relu6 clips at 0 and 6)', async () => {
    const bn = new BatchNorm('t.bn', 4, 'fusedtest', true);
    made.push(bn);
    bn.gamma.assign(tf.tensor1d([4, 1, 3, -5]));
    bn.beta.assign(tf.tensor1d([1, 7, -2, 0.5]));
    for (const training of [true, false]) {
      const [plain, act] = tf.tidy(() => [bn.apply(x(), training), bn.apply(x(), training, undefined, 'relu6')]);
      const [p, a] = [await plain.data(), await act.data()];
      expect(p.some((v) => v < 0) && p.some((v) => v > 6)).toBe(true);
      p.forEach((v, i) => expect(a[i]).toBeCloseTo(Math.min(6, Math.max(0, v)), 6));
      tf.dispose([plain, act]);
    }
  });
});
