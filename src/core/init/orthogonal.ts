// The orthogonal ("dynamical isometry") initialiser, the project default.

import type { Rng } from '../rng.ts';
import { householderQR } from './qr.ts';
import { matrixDims, type WeightShape } from './shape.ts';

/**
 * A Haar-distributed semi-orthogonal rows x cols matrix (row-major, float64) times `gain`:
 * draw a Gaussian matrix of the taller shape max x min, take its QR, multiply Q's columns by
 * sign(diag R) (sign(0) = +1; without this Q is biased, not Haar), and transpose when rows < cols.
 * rows >= cols: W^T W = gain^2 I; rows < cols: W W^T = gain^2 I.
 * Draw order: the tall Gaussian matrix row-major, rng.normal() per entry.
 */
export function semiOrthogonal(rows: number, cols: number, rng: Rng, gain: number): Float64Array {
  const tall = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  const g = new Float64Array(tall * short);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  const { q, r } = householderQR(g, tall, short);
  const colScale = new Float64Array(short);
  for (let j = 0; j < short; j++) colScale[j] = (r[j * short + j] < 0 ? -1 : 1) * gain;

  const out = new Float64Array(rows * cols);
  if (rows >= cols) {
    for (let i = 0; i < tall; i++) for (let j = 0; j < short; j++) out[i * cols + j] = q[i * short + j] * colScale[j];
  } else {
    // out = (Q D)^T: out[j][i] = Q[i][j] * d_j, out is short x tall = rows x cols
    for (let i = 0; i < tall; i++) for (let j = 0; j < short; j++) out[j * cols + i] = q[i * short + j] * colScale[j];
  }
  return out;
}

/** Unit-norm random direction of length n (normalised Gaussian vector) times gain. */
export function randomDirection(n: number, rng: Rng, gain: number): Float64Array {
  const v = new Float64Array(n);
  let norm2 = 0;
  while (norm2 === 0) {
    norm2 = 0;
    for (let i = 0; i < n; i++) {
      v[i] = rng.normal();
      norm2 += v[i] * v[i];
    }
  }
  const s = gain / Math.sqrt(norm2);
  for (let i = 0; i < n; i++) v[i] *= s;
  return v;
}

/**
 * conv / linear: the [fanIn, fanOut] matrix is semiOrthogonal(fanIn, fanOut), which row-major is
 * exactly the tfjs [k,k,cin,cout] layout. depthwise: each channel's k*k filter is a random unit
 * direction times gain (channels drawn in order 0..C-1, each filter's taps in [k,k] order).
 */
export function orthogonalInit(shape: WeightShape, rng: Rng, gain: number): Float32Array {
  if (shape.kind === 'depthwise') {
    const taps = shape.kernel * shape.kernel;
    const channels = shape.cin;
    const out = new Float32Array(taps * channels);
    for (let c = 0; c < channels; c++) {
      const v = randomDirection(taps, rng, gain);
      for (let t = 0; t < taps; t++) out[t * channels + c] = v[t];
    }
    return out;
  }
  const { fanIn, fanOut } = matrixDims(shape);
  return Float32Array.from(semiOrthogonal(fanIn, fanOut, rng, gain));
}
