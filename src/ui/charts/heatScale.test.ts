import { describe, expect, it } from 'vitest';
import { colourBarLabels, colourBarTicks, heatPositions, isUntrained } from './heatScale.ts';

// two layers: [identity, 0, 1] and [0, 1] (scores flattened in that order)
const choices = [[-1, 0, 1], [0, 1]];

describe('heatPositions', () => {
  it('linear: (s - lo) / (hi - lo) over the trained cells; untrained cells are null', () => {
    const scores = [0.5, 1, 2.5, 1.5, 4.5];
    const p = heatPositions({ choices, scores }, 'linear');
    expect(p.lo).toBe(0.5);
    expect(p.hi).toBe(4.5);
    expect(p.untrained).toBe(1);
    expect(p.t[1]).toBeNull();
    // independent: positions of 0.5, 2.5, 1.5, 4.5 on [0.5, 4.5]
    const want = [0, null, 2 / 4, 1 / 4, 1];
    p.t.forEach((t, i) => (want[i] === null ? expect(t).toBeNull() : expect(t).toBeCloseTo(want[i] as number, 12)));
  });

  it('log: positions of log10 s, so equal ratios are equal steps', () => {
    const scores = [0.01, 0.1, 1.0000001, 10, 100];
    const p = heatPositions({ choices, scores }, 'log');
    // log10: -2, -1, ~0, 1, 2 on [-2, 2]
    expect(p.t[0]).toBeCloseTo(0, 12);
    expect(p.t[1]).toBeCloseTo(0.25, 12);
    expect(p.t[2]).toBeCloseTo(0.5, 6);
    expect(p.t[3]).toBeCloseTo(0.75, 12);
    expect(p.t[4]).toBeCloseTo(1, 12);
    // linear would put 0.01 .. 10 all within 10 % of the bottom
    const lin = heatPositions({ choices, scores }, 'linear');
    expect(lin.t[3] as number).toBeLessThan(0.11);
  });

  it('log: a zero score sits at the bottom with the smallest positive score', () => {
    const p = heatPositions({ choices, scores: [0, 0.5, 2, 8, 1] }, 'log');
    expect(p.t[0]).toBe(0);
    expect(p.t[1]).toBe(0);
    expect(p.t[2]).toBeCloseTo(0.5, 12);
    expect(p.t[3]).toBe(1);
    expect(p.t[4]).toBeNull();
  });

  it('rank: within the layer, ties share their mean rank, a lone trained cell is in the middle', () => {
    const p = heatPositions({ choices, scores: [3, 2, 3, 1, 0.7] }, 'rank');
    // layer 0: 3, 2, 3 -> ranks 2.5, 1, 2.5 of 3 -> (r - 1) / 2
    expect(p.t.slice(0, 3)).toEqual([0.75, 0, 0.75]);
    // layer 1: 1 is untrained, 0.7 alone
    expect(p.t.slice(3)).toEqual([null, 0.5]);
    // rank ignores the other layer's values: scaling layer 1 changes nothing in layer 0
    const q = heatPositions({ choices, scores: [3, 2, 3, 1000, 2000] }, 'rank');
    expect(q.t.slice(0, 3)).toEqual([0.75, 0, 0.75]);
    expect(q.t.slice(3)).toEqual([0, 1]);
  });

  it('rank agrees with a sort for random layers', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + (trial % 6);
      const scores = Array.from({ length: n }, (_, i) => 1.5 + Math.sin(trial * 31 + i * 7.3));
      const p = heatPositions({ choices: [scores.map((_, i) => i)], scores }, 'rank');
      const order = scores.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
      order.forEach(([, i], r) => expect(p.t[i]).toBeCloseTo(r / (n - 1), 12));
    }
  });

  it('everything untrained (or one value): no range, positions null or the middle', () => {
    const none = heatPositions({ choices, scores: [1, 1, 1, 1, 1] }, 'linear');
    expect(none.lo).toBeNull();
    expect(none.t.every((t) => t === null)).toBe(true);
    expect(none.untrained).toBe(5);
    const flat = heatPositions({ choices, scores: [2, 2, 2, 2, 2] }, 'log');
    expect(flat.t).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('rejects a table whose scores do not match its layout', () => {
    expect(() => heatPositions({ choices, scores: [1, 2] }, 'linear')).toThrow(/2 scores for 5 cells/);
  });

  it('reads untrained as exactly the initial score', () => {
    expect(isUntrained(1)).toBe(true);
    expect(isUntrained(Math.fround(1.0000001))).toBe(false);
    expect(isUntrained(0.9999999)).toBe(false);
  });
});

describe('colourBarTicks', () => {
  it('labels lo, middle and hi (geometric middle on the log scale) and the rank ends', () => {
    expect(colourBarTicks('linear', 2, 6).map((k) => k.value)).toEqual([2, 4, 6]);
    expect(colourBarTicks('log', 0.1, 10)[1].value).toBeCloseTo(1, 12);
    expect(colourBarTicks('rank', null, null).map((k) => k.t)).toEqual([0, 1]);
    expect(colourBarTicks('linear', null, null)).toEqual([]);
    expect(colourBarTicks('log', 3, 3)).toEqual([{ t: 0.5, value: 3 }]);
  });
});

describe('colourBarLabels', () => {
  it('uses 3 significant figures, more only where two values would read the same', () => {
    expect(colourBarLabels([0.5, 1.25, 2])).toEqual(['0.500', '1.25', '2.00']);
    expect(colourBarLabels([0.9985, 1.00035, 1.0022])).toEqual(['0.9985', '1.000', '1.002']);
    expect(colourBarLabels([3, 3])).toEqual(['3.00', '3.00']);
  });
});
