// Delta-orthogonal initialiser (Xiao et al. 2018, "Dynamical Isometry and a Mean Field Theory of
// CNNs"): a conv that, at init, acts as an orthogonal 1x1 conv on the centre tap only.

import type { Rng } from '../rng.ts';
import { semiOrthogonal } from './orthogonal.ts';
import type { WeightShape } from './shape.ts';

/**
 * conv: all taps zero except the centre tap (k odd), which holds semiOrthogonal(cin, cout) * gain.
 * depthwise: centre tap = gain, all others zero, no randomness. Note this makes k3/k5/k7 depthwise
 * filters identical (every kernel size is the same identity-like filter), so candidates that differ
 * only by kernel size become indistinguishable: that is why it is not the NAS default.
 * linear: same as orthogonal (semiOrthogonal(cin, cout)).
 */
export function deltaOrthogonalInit(shape: WeightShape, rng: Rng, gain: number): Float32Array {
  const { kernel: k, cin, cout } = shape;
  if (k % 2 !== 1) throw new Error(`init: delta-orthogonal needs an odd kernel (a centre tap), got kernel ${k}`);
  const centreTap = ((k - 1) / 2) * k + (k - 1) / 2; // index into the k*k taps, [k,k] order
  if (shape.kind === 'depthwise') {
    const out = new Float32Array(k * k * cin);
    for (let c = 0; c < cin; c++) out[centreTap * cin + c] = gain;
    return out;
  }
  const centre = semiOrthogonal(cin, cout, rng, gain);
  const out = new Float32Array(k * k * cin * cout);
  out.set(centre, centreTap * cin * cout);
  return out;
}
