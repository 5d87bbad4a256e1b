import { describe, expect, it } from 'vitest';
import { frameStats, percentile } from './frameStats.ts';

describe('percentile (nearest rank)', () => {
  it('matches hand-computed ranks and rejects bad input', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1], 101)).toThrow(/\[0, 100\]/);
  });
});

describe('frameStats', () => {
  it('summarises the intervals between rAF timestamps', () => {
    // intervals: 16, 17, 16, 80, 16
    const s = frameStats([0, 16, 33, 49, 129, 145]);
    expect(s).toEqual({ frames: 5, medianMs: 16, p95Ms: 80, maxMs: 80, overBudget: 1, budgetMs: 50 });
  });
  it('needs two timestamps', () => {
    expect(() => frameStats([1])).toThrow(/at least 2/);
  });
});
