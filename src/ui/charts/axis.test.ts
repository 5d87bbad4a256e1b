import { describe, expect, it } from 'vitest';
import { linearScale, linePath, nearestIndex, niceTicks, tickDecimals } from './axis.ts';

describe('niceTicks', () => {
  it('covers the range with 1 / 2 / 5 x 10^k steps', () => {
    expect(niceTicks(0.13, 0.92, 5)).toEqual({ lo: 0, hi: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceTicks(1.08, 1.41, 4)).toEqual({ lo: 1, hi: 1.5, ticks: [1, 1.1, 1.2, 1.3, 1.4, 1.5] });
    expect(niceTicks(2.3, 7.1, 5).ticks).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(niceTicks(0, 1000, 4).ticks).toEqual([0, 500, 1000]);
    expect(niceTicks(-3, 3, 3).ticks).toEqual([-4, -2, 0, 2, 4]);
  });
  it('gives integer steps for step counts, pads a single value and rejects NaN', () => {
    expect(niceTicks(1, 3, 6, true).ticks).toEqual([1, 2, 3]);
    expect(niceTicks(1, 23, 6, true).ticks).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(1, 1, 6, true).ticks).toEqual([0, 1, 2]);
    expect(niceTicks(2, 2, 4).lo).toBeLessThan(2);
    expect(niceTicks(2, 2, 4).hi).toBeGreaterThan(2);
    expect(niceTicks(5, 1).ticks[0]).toBe(1);
    expect(() => niceTicks(0, Number.NaN)).toThrow(/not finite/);
  });
  it('always brackets the data for random ranges', () => {
    for (let i = 0; i < 200; i++) {
      const a = Math.sin(i * 12.9898) * 1e3;
      const b = a + Math.abs(Math.cos(i * 78.233)) * 10 ** ((i % 7) - 3);
      const t = niceTicks(a, b, 5);
      expect(t.lo).toBeLessThanOrEqual(a);
      expect(t.hi).toBeGreaterThanOrEqual(b);
      expect(t.ticks.length).toBeGreaterThanOrEqual(2);
      expect(t.ticks.length).toBeLessThanOrEqual(12);
    }
  });
});

describe('scale, path and nearest point', () => {
  it('maps linearly (y flipped when the range is), and builds the path', () => {
    const sx = linearScale(0, 10, 48, 404);
    expect(sx(0)).toBe(48);
    expect(sx(10)).toBe(404);
    expect(sx(5)).toBe(226);
    const sy = linearScale(0, 1, 176, 8);
    expect(sy(1)).toBe(8);
    expect(sy(0.25)).toBe(134);
    expect(linearScale(3, 3, 0, 10)(3)).toBe(5);
    expect(linePath([1, 2.04, 3], [5, 6.26, 7])).toBe('M1 5 L2 6.3 L3 7');
  });
  it('shows ticks with the decimals they need', () => {
    expect(tickDecimals([0, 0.25, 0.5, 0.75, 1])).toBe(2);
    expect(tickDecimals([1, 1.1, 1.2])).toBe(1);
    expect(tickDecimals([0, 500, 1000])).toBe(0);
    expect(tickDecimals(niceTicks(0.0011, 0.0019, 4).ticks)).toBe(4);
  });
  it('finds the nearest x', () => {
    const xs = [1, 2, 4, 8];
    expect(nearestIndex(xs, 0)).toBe(0);
    expect(nearestIndex(xs, 2.9)).toBe(1);
    expect(nearestIndex(xs, 3.1)).toBe(2);
    expect(nearestIndex(xs, 100)).toBe(3);
    expect(nearestIndex([5], 1)).toBe(0);
  });
});
