import { describe, expect, it } from 'vitest';
import { bracket } from './bracket.ts';

describe('bracket', () => {
  it('finds the interval holding x, clamped at the ends', () => {
    const xs = [0, 1, 2, 4, 8];
    expect(bracket(xs, 0)).toBe(0);
    expect(bracket(xs, 0.5)).toBe(0);
    expect(bracket(xs, 1)).toBe(1);
    expect(bracket(xs, 3.9)).toBe(2);
    expect(bracket(xs, 4)).toBe(3);
    expect(bracket(xs, 7.99)).toBe(3);
    expect(bracket(xs, -5)).toBe(0);
    expect(bracket(xs, 100)).toBe(3);
    expect(bracket([3], 1)).toBe(0);
    expect(bracket([1, 2], 1.5)).toBe(0);
  });
  it('agrees with a linear scan on random sorted lists', () => {
    for (let n = 2; n < 40; n++) {
      const xs = Array.from({ length: n }, (_, i) => i * i * 0.37 + Math.sin(i) * 0.1).sort((a, b) => a - b);
      for (let k = 0; k < 50; k++) {
        const x = xs[0] + ((xs[n - 1] - xs[0]) * k) / 50;
        let want = 0;
        for (let i = 0; i < n - 1; i++) if (xs[i] <= x) want = i;
        expect(bracket(xs, x)).toBe(want);
      }
    }
  });
});
