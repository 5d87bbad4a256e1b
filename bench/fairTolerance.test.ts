import { describe, expect, it } from 'vitest';
import { F32_EPS, FAIR_RTOL, maxAbsDiff, noiseFloor, toleranceRatio } from './fairTolerance.ts';

// The fair-step tolerance of bench/fusedCheck.ts: passes float32 rounding of reordered sums,
// refuses an error of the size a wrong kernel makes. Values computed here, not hard-coded.
describe('fair-step tolerance', () => {
  const n = 64;
  // Float32 sums of the same n terms in two orders (forward vs pairwise), as the fused and composed
  // reductions differ; terms centred on their mean, so the exact sum is about zero (a zero gradient).
  const base = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 0.37 + (i % 2 === 0 ? 0.25 : -0.25));
  const mean = base.reduce((s, v) => s + v, 0) / n;
  const terms = Float32Array.from(base, (v) => v - mean);
  const f32 = (v: number) => Math.fround(v);
  const forward = (t: Float32Array) => t.reduce((s, v) => f32(s + v), 0);
  const pairwise = (t: Float32Array): number => (t.length === 1 ? t[0] : f32(pairwise(t.subarray(0, t.length >> 1)) + pairwise(t.subarray(t.length >> 1))));
  const scale = Math.max(...Array.from(terms, Math.abs));

  it('accepts two summation orders of a cancelling float32 sum that a pure 1e-4 relative check refuses', () => {
    const [a, b] = [forward(terms), pairwise(terms)];
    expect(a).not.toBe(b); // the orders do differ in float32 (else this test shows nothing)
    expect(Math.abs(a - b)).toBeGreaterThan(FAIR_RTOL * Math.max(Math.abs(a), Math.abs(b)));
    expect(toleranceRatio([a], [b], noiseFloor(n, scale))).toBeLessThanOrEqual(1);
  });

  it('refuses a relative error of 1e-3 at the scale and a noise-only element off by 100 floors', () => {
    const atol = noiseFloor(n, scale);
    expect(atol).toBeCloseTo(F32_EPS * n * scale, 12);
    expect(toleranceRatio([scale * (1 + 1e-3)], [scale], atol)).toBeGreaterThan(1);
    expect(toleranceRatio([100 * atol], [0], atol)).toBeGreaterThan(1);
    expect(toleranceRatio([scale * (1 + 5e-5)], [scale], atol)).toBeLessThanOrEqual(1);
    expect(toleranceRatio([NaN], [0], atol)).toBe(Infinity);
  });

  it('measures movement and refuses bad input', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(() => toleranceRatio([1], [1, 2], 0)).toThrow(/lengths differ/);
    expect(() => noiseFloor(0, 1)).toThrow(/nTerms/);
  });
});
