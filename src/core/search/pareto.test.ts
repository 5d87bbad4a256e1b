import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.ts';
import { paretoFront } from './pareto.ts';

describe('paretoFront (min MACs, max fitness)', () => {
  it('keeps exactly the non-dominated points, MACs ascending', () => {
    const pts = [
      { id: 'a', macs: 100, fitness: 1 },
      { id: 'b', macs: 200, fitness: 3 },
      { id: 'c', macs: 150, fitness: 0.5 }, // dominated by a
      { id: 'd', macs: 200, fitness: 2 }, // dominated by b (same MACs)
      { id: 'e', macs: 300, fitness: 3 }, // dominated by b (same fitness)
      { id: 'f', macs: 50, fitness: -1 },
      { id: 'g', macs: 100, fitness: 1 }, // duplicate of a: the first is kept
    ];
    expect(paretoFront(pts).map((p) => p.id)).toEqual(['f', 'a', 'b']);
    expect(paretoFront([])).toEqual([]);
  });

  it('agrees with a brute-force dominance check on random points', () => {
    const rng = createRng(7);
    const pts = Array.from({ length: 300 }, (_, i) => ({ i, macs: rng.int(50), fitness: rng.int(40) / 4 }));
    const dominated = (p: (typeof pts)[number]) =>
      pts.some((q) => (q.macs <= p.macs && q.fitness >= p.fitness && (q.macs < p.macs || q.fitness > p.fitness)) || (q.macs === p.macs && q.fitness === p.fitness && q.i < p.i));
    const expected = pts.filter((p) => !dominated(p)).map((p) => p.i).sort((a, b) => a - b);
    expect(paretoFront(pts).map((p) => p.i).sort((a, b) => a - b)).toEqual(expected);
  });
});
