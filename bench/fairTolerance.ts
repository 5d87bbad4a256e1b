// The tolerance of the fused-vs-composed fair-step comparison (bench/fusedCheck.ts). Two trainers
// that differ only in the order of float32 sums cannot agree to a pure relative tolerance: a BN
// parameter whose gradient is zero in exact arithmetic (beta of a BN whose output reaches the loss
// only through another BN, which removes its mean) holds nothing but rounding noise, and the
// relative error of noise against noise is about 1. So an element passes when
//   |a - b| <= rtol * max(|a|, |b|) + atol,   rtol = 1e-4 (the figure),
//   atol = eps32 * nTerms * scale,
// the floating-point noise floor: each per-channel gradient (and batch statistic) is a float32 sum
// of nTerms = N*H*W terms, and two summation orders of the same terms differ by at most about
// (nTerms - 1) * eps32 * sum|terms| (the standard bound for recursive summation; tree sums do
// better); the scale is that of the quantity in the model (the largest |value| of its kind, e.g.
// of every beta, or the data scale for a running mean), which bounds what a step moves it by.
// With nTerms = 64 the floor is 7.6e-6 of the scale, below the 1e-4 relative part for any element
// near the scale, so it only decides for elements that are noise. The check stays able to fail:
// fusedCheck also reports how far the trainers moved from their initial state in units of atol
// (the e2e test asks for >= 100), and a wrong gradient or statistic moves an element by a
// fraction of its scale, far above the floor (tolerance.test.ts). Pure: no tfjs.

/** float32 machine epsilon (spacing of floats at 1). */
export const F32_EPS = 2 ** -23;
/** The relative part of the tolerance (the issue: agree within 1e-4 after 3 fair steps). */
export const FAIR_RTOL = 1e-4;

/** The noise floor atol for a quantity of the given scale summed over nTerms float32 terms. */
export function noiseFloor(nTerms: number, scale: number): number {
  if (!(nTerms >= 1) || !(scale >= 0)) throw new Error(`noiseFloor: need nTerms >= 1 and scale >= 0, got ${nTerms}, ${scale}`);
  return F32_EPS * nTerms * scale;
}

/**
 * max_i |a_i - b_i| / (rtol * max(|a_i|, |b_i|) + atol): the element that is furthest outside its
 * tolerance, in units of it (<= 1 passes). NaN anywhere gives Infinity.
 */
export function toleranceRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol = FAIR_RTOL): number {
  if (a.length !== b.length) throw new Error(`toleranceRatio: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return Infinity;
    const tol = rtol * Math.max(Math.abs(a[i]), Math.abs(b[i])) + atol;
    const r = tol === 0 ? (d === 0 ? 0 : Infinity) : d / tol;
    if (r > worst) worst = r;
  }
  return worst;
}

/** max_i |a_i - b_i| (e.g. how far a tensor moved from its initial value). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
