// The exact Jacobian of one module on a spatial tile of its real input.
//
// Definition (the "tile Jacobian"): crop a t x t spatial tile (all channels) of ONE sample of the
// module's input, treat the tile as the module's whole input, and take
//   J = d module(tile) / d tile,   rows = output elements, cols = input elements (HWC order),
// with the module in inference mode (BN = the affine map of its running statistics). The module
// sees the tile with its own zero padding (PyTorch k//2 at the tile border), exactly as if the
// tile were a small image; it is NOT a crop of the full-map Jacobian (whose entries would depend on
// the pixels around the tile through the activation pattern and cost a full-map backward per row).
// Both are exact; this one is cheap (a batch of tiles) and well defined for any module. For maps
// no larger than the tile the two coincide. Stride-2 modules give an output tile of ceil(t / 2).
//
// J is built row by row from vector-Jacobian products with one-hot cotangents: the tile is
// replicated B times, copy b gets the cotangent e_(start+b), and one backward pass of
// sum(module(X) * C) gives B rows. In inference mode the copies do not interact (BN is per
// sample), so every row is exact. tfjs has no forward-mode jvp; this needs one backward only.
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../model/module.ts';

export interface TileOptions {
  /** Requested tile side in pixels (clipped to the map size). */
  size: number;
  /** Largest allowed max(rows, cols) of J; the tile shrinks until it fits (down to 1 x 1). */
  maxDim: number;
}

export const DEFAULT_TILE: TileOptions = { size: 4, maxDim: 1024 };

/** Default number of Jacobian rows per backward pass. */
export const DEFAULT_CHUNK_ROWS = 256;

export interface TileChoice {
  /** Tile side used and the module's output shape on it ([h, w, c]). */
  size: number;
  inShape: [number, number, number];
  outShape: [number, number, number];
  rows: number;
  cols: number;
}

function outShapeOn(module: Module, t: number, channels: number): [number, number, number] {
  return tf.tidy(() => {
    const y = module.forward(tf.zeros([1, t, t, channels]), { training: false });
    const s = y.shape;
    return [s[1] ?? 1, s[2] ?? 1, s[3] ?? 1] as [number, number, number];
  });
}

/**
 * The largest tile side <= min(opts.size, mapSize) for which max(rows, cols) <= opts.maxDim
 * (1 if none does; then max(rows, cols) may exceed maxDim).
 */
export function chooseTile(module: Module, mapSize: number, channels: number, opts: TileOptions = DEFAULT_TILE): TileChoice {
  let t = Math.max(1, Math.min(opts.size, mapSize));
  for (;;) {
    const outShape = outShapeOn(module, t, channels);
    const rows = outShape[0] * outShape[1] * outShape[2];
    const cols = t * t * channels;
    if (Math.max(rows, cols) <= opts.maxDim || t === 1) return { size: t, inShape: [t, t, channels], outShape, rows, cols };
    t--;
  }
}

/** A centred t x t crop of sample `sampleIndex` of an NHWC batch, [1, t, t, C] (caller disposes). */
export function cropTile(x: tf.Tensor4D, sampleIndex: number, t: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (sampleIndex < 0 || sampleIndex >= n) throw new Error(`cropTile: sample ${sampleIndex} not in a batch of ${n}`);
  if (t > h || t > w) throw new Error(`cropTile: tile ${t} larger than the ${h}x${w} map`);
  const y0 = Math.floor((h - t) / 2);
  const x0 = Math.floor((w - t) / 2);
  return tf.slice(x, [sampleIndex, y0, x0, 0], [1, t, t, c]);
}

export interface Jacobian {
  /** Row-major rows x cols. */
  j: Float32Array;
  rows: number;
  cols: number;
  outShape: number[];
}

/**
 * Exact Jacobian of `module` (inference mode) at the single input `x` ([1, h, w, c]), by batched
 * one-hot vector-Jacobian products, `chunkRows` rows per backward pass. Reads back with
 * `await data()` only; leaks nothing.
 */
export async function moduleJacobian(module: Module, x: tf.Tensor4D, chunkRows = DEFAULT_CHUNK_ROWS): Promise<Jacobian> {
  if (x.shape[0] !== 1) throw new Error(`moduleJacobian: one sample expected, got a batch of ${x.shape[0]}`);
  const f = (input: tf.Tensor) => module.forward(input, { training: false });
  const outShape = tf.tidy(() => f(x).shape.slice(1));
  const rows = outShape.reduce((a, b) => a * b, 1);
  const cols = x.size;
  const j = new Float32Array(rows * cols);
  for (let start = 0; start < rows; start += chunkRows) {
    const b = Math.min(chunkRows, rows - start);
    const block = tf.tidy(() => {
      // oneHot in int32, then cast: the wasm backend's OneHot ignores a float32 dtype (int bits).
      const cot = tf.reshape(tf.cast(tf.oneHot(tf.range(start, start + b, 1, 'int32') as tf.Tensor1D, rows), 'float32'), [b, ...outShape]);
      const vjp = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(f(xs), cot)));
      return tf.reshape(vjp(tf.tile(x, [b, 1, 1, 1])), [b, cols]);
    });
    const data = await block.data();
    block.dispose();
    j.set(data as Float32Array, start * cols);
  }
  return { j, rows, cols, outShape };
}
