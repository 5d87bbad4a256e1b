import { describe, expect, it } from 'vitest';
import { initWeight } from '../init/index.ts';
import { createRng } from '../rng.ts';
import { DEFAULT_HISTOGRAM, histogram, histogramEdges, smallerGram, spectrumStats, squaredSingularValues, symmetricEigenvalues } from './spectrum.ts';

function gaussian(rows: number, cols: number, std: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: rows * cols }, () => std * rng.normal());
}

/** Marchenko-Pastur CDF for ratio 1 (squared singular values of an n x n matrix with variance 1/n):
 * with x = 4 sin^2(t), F = (2 / pi) (t + sin t cos t). */
function mpCdf(x: number): number {
  if (x <= 0) return 0;
  if (x >= 4) return 1;
  const t = Math.asin(Math.sqrt(x / 4));
  return (2 / Math.PI) * (t + Math.sin(t) * Math.cos(t));
}
function mpQuantile(q: number): number {
  let lo = 0;
  let hi = 4;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mpCdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('symmetricEigenvalues', () => {
  it('gives the known spectrum of the second-difference matrix', () => {
    const n = 50;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const ev = symmetricEigenvalues(a, n);
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((p, q) => p - q);
    for (let k = 0; k < n; k++) expect(Math.abs(ev[k] - expected[k])).toBeLessThan(1e-12);
  });

  it('recovers a prescribed spectrum Q diag(d) Q^T', () => {
    const n = 40;
    const q = initWeight('orthogonal', { kind: 'linear', kernel: 1, cin: n, cout: n }, createRng(3), 1);
    const d = Array.from({ length: n }, (_, i) => (i - 10) * 0.37);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[i * n + k] * d[k] * q[j * n + k];
    const ev = symmetricEigenvalues(a, n);
    const sorted = [...d].sort((p, r) => p - r);
    for (let k = 0; k < n; k++) expect(Math.abs(ev[k] - sorted[k])).toBeLessThan(1e-5); // Q is float32
  });
});

describe('squared singular values', () => {
  it('agree between J J^T and J^T J (both Gram branches)', () => {
    const j = gaussian(7, 12, 1, 5);
    const jt = new Float64Array(12 * 7);
    for (let r = 0; r < 7; r++) for (let c = 0; c < 12; c++) jt[c * 7 + r] = j[r * 12 + c];
    expect(smallerGram(j, 7, 12).n).toBe(7);
    expect(smallerGram(jt, 12, 7).n).toBe(7);
    const a = squaredSingularValues(j, 7, 12);
    const b = squaredSingularValues(jt, 12, 7);
    for (let k = 0; k < 7; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-10 * Math.max(1, a[k]));
    // trace identity: sum of squared singular values = squared Frobenius norm
    const fro = j.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(a.reduce((s, v) => s + v, 0) - fro)).toBeLessThan(1e-9 * fro);
  });

  it('of a Gaussian n x n matrix with variance 1/n follow Marchenko-Pastur (n = 256)', () => {
    const n = 256;
    const sq = squaredSingularValues(gaussian(n, n, 1 / Math.sqrt(n), 11), n, n);
    // Stated tolerance: each decile within 0.06 of the MP quantile (bulk fluctuations are
    // O(1/n); the finite-n edge fluctuations are O(n^-2/3) ~ 0.025 at the top).
    for (let d = 1; d <= 9; d++) {
      const q = d / 10;
      const emp = sq[Math.floor(q * n)];
      expect(Math.abs(emp - mpQuantile(q))).toBeLessThan(0.06);
    }
    const st = spectrumStats(sq);
    expect(Math.abs(st.meanSq - 1)).toBeLessThan(0.05); // E = 1
    expect(Math.abs(st.varSq - 1)).toBeLessThan(0.15); // MP(1) variance = 1
    expect(st.max).toBeGreaterThan(3.6);
    expect(st.max).toBeLessThan(4.3);
    expect(st.min).toBeLessThan(0.01);
  });
});

describe('stats and histogram', () => {
  it('moments, extremes, count', () => {
    expect(spectrumStats([1, 2, 3, 6])).toEqual({ meanSq: 3, varSq: 3.5, min: 1, max: 6, count: 4 });
  });

  it('uses fixed log-spaced edges with under/overflow', () => {
    const edges = histogramEdges(DEFAULT_HISTOGRAM);
    expect(edges.length).toBe(25);
    expect(edges[0]).toBe(1e-4);
    expect(edges[4]).toBe(1e-3);
    expect(edges[16]).toBe(1);
    expect(edges[24]).toBe(100);
    const h = histogram([0, 5e-5, 1e-4, 0.999, 1, 1.5, 99.9, 100, 1e9]);
    expect(h.under).toBe(2);
    expect(h.over).toBe(2);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[15]).toBe(1); // [10^-0.25, 1)
    expect(h.counts[16]).toBe(2); // [1, 10^0.25): 1 and 1.5
    expect(h.counts[23]).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0) + h.under + h.over).toBe(9);
  });
});

describe('own eigen routine vs ml-matrix', () => {
  it('agrees on random symmetric matrices (incl. a rank-deficient Gram)', async () => {
    const { symmetricEigenvaluesMlMatrix } = await import('./spectrum.ts');
    for (const [n, seed] of [[1, 1], [2, 2], [17, 3], [64, 4]] as const) {
      const b = gaussian(n, n, 1, seed);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j] + b[j * n + i];
      const ours = symmetricEigenvalues(a, n);
      const ref = symmetricEigenvaluesMlMatrix(a, n);
      for (let k = 0; k < n; k++) expect(Math.abs(ours[k] - ref[k])).toBeLessThan(1e-9 * (1 + Math.abs(ref[k])));
    }
    const j = gaussian(5, 30, 1, 9);
    const { gram } = smallerGram(j, 5, 30); // 5 x 5, full rank
    const wide = smallerGram(Float64Array.from({ length: 30 * 5 }, (_, i) => j[(i % 5) * 30 + Math.floor(i / 5)]), 30, 5);
    expect(wide.n).toBe(5);
    const ours = symmetricEigenvalues(gram, 5);
    const ref = symmetricEigenvaluesMlMatrix(gram, 5);
    for (let k = 0; k < 5; k++) expect(Math.abs(ours[k] - ref[k])).toBeLessThan(1e-9 * (1 + ref[k]));
  });
});
