import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { householderQR } from './qr.ts';

function gaussian(m: number, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function check(a: Float64Array, m: number, n: number): void {
  const { q, r } = householderQR(a, m, n);
  expect(q.length).toBe(m * n);
  expect(r.length).toBe(n * n);
  // A = Q R
  const qr = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * r[k * n + j];
      qr[i * n + j] = s;
    }
  expect(maxAbsDiff(qr, a)).toBeLessThan(1e-10);
  // Q^T Q = I
  let orthErr = 0;
  for (let a1 = 0; a1 < n; a1++)
    for (let b1 = 0; b1 < n; b1++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += q[i * n + a1] * q[i * n + b1];
      orthErr = Math.max(orthErr, Math.abs(s - (a1 === b1 ? 1 : 0)));
    }
  expect(orthErr).toBeLessThan(1e-12);
  // R upper triangular
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
}

describe('householderQR', () => {
  it.each([
    [1, 1],
    [2, 2],
    [5, 3],
    [36, 8],
    [24, 8],
    [64, 64],
    [100, 1],
  ])('reconstructs a %i x %i Gaussian matrix with orthonormal Q and triangular R', (m, n) => {
    check(gaussian(m, n, m * 1000 + n), m, n);
  });

  it('handles rank-deficient and zero columns', () => {
    // column 1 = 2 * column 0, column 2 zero
    const m = 4;
    const n = 3;
    const a = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      a[i * n] = i + 1;
      a[i * n + 1] = 2 * (i + 1);
    }
    check(a, m, n);
    check(new Float64Array(6), 3, 2);
  });

  it('handles columns already along +-e1 (sign flips, exact zeros)', () => {
    const a = Float64Array.from([1, 0, 0, 1, 0, 0]); // 3 x 2
    check(a, 3, 2);
    const b = Float64Array.from([-2, 0, 0, -3, 0, 0]);
    check(b, 3, 2);
  });

  it('does not modify its input', () => {
    const a = gaussian(6, 4, 1);
    const copy = Float64Array.from(a);
    householderQR(a, 6, 4);
    expect(Array.from(a)).toEqual(Array.from(copy));
  });

  it('rejects wide matrices and bad sizes', () => {
    expect(() => householderQR(new Float64Array(6), 2, 3)).toThrow(/tall/);
    expect(() => householderQR(new Float64Array(5), 3, 2)).toThrow(/expected 6/);
    expect(() => householderQR(new Float64Array(0), 0, 0)).toThrow(/positive/);
  });
});
