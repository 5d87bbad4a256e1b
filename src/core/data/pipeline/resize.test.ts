import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../rng.ts';
import { cropResizeBilinear } from './resize.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomImage(w: number, h: number, seed: number) {
  const rng = createRng(seed);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return { width: w, height: h, data };
}

describe('cropResizeBilinear', () => {
  it('matches tf.image.resizeBilinear (half-pixel centres) on the cropped region, up and down', async () => {
    const img = randomImage(13, 9, 1);
    for (const [crop, ow, oh] of [
      [{ x: 2, y: 1, width: 7, height: 6 }, 11, 4],
      [{ x: 0, y: 0, width: 13, height: 9 }, 5, 5],
      [{ x: 4, y: 3, width: 3, height: 2 }, 8, 9],
      [{ x: 12, y: 8, width: 1, height: 1 }, 2, 3],
    ] as const) {
      const ours = cropResizeBilinear(img, crop, ow, oh);
      const before = tf.memory().numTensors;
      const ref = tf.tidy(() => {
        const t = tf.tensor4d(Float32Array.from(img.data), [1, img.height, img.width, 4]);
        const c = tf.slice(t, [0, crop.y, crop.x, 0], [1, crop.height, crop.width, 4]);
        return tf.image.resizeBilinear(c, [oh, ow], false, true);
      });
      const want = await ref.data();
      ref.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(ours.data.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(ours.data[i] - want[i])).toBeLessThanOrEqual(0.5 + 1e-4);
    }
  });

  it('reproduces a linear ramp exactly and rejects a crop outside the image', () => {
    const w = 8;
    const data = new Uint8ClampedArray(w * 4);
    for (let x = 0; x < w; x++) data.set([x * 20, 0, 0, 255], 4 * x);
    const out = cropResizeBilinear({ width: w, height: 1, data }, { x: 0, y: 0, width: 8, height: 1 }, 4, 1);
    // Output column o samples source x = 2o + 0.5: value 20 * (2o + 0.5) = 10, 50, 90, 130.
    expect([0, 1, 2, 3].map((o) => out.data[4 * o])).toEqual([10, 50, 90, 130]);
    expect(() => cropResizeBilinear({ width: w, height: 1, data }, { x: 4, y: 0, width: 5, height: 1 }, 2, 1)).toThrow(/not inside the 8x1 image/);
  });
});
