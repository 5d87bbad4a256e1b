// Pareto front of (MACs, fitness): minimise MACs, maximise fitness. A point is on the front when
// no other point has MACs <= its MACs and fitness >= its fitness with at least one strict.
// Of points with equal (MACs, fitness) the first in input order is kept.

export interface ParetoPoint {
  macs: number;
  fitness: number;
}

/** The non-dominated items, sorted by MACs ascending (so fitness ascends too). */
export function paretoFront<T extends ParetoPoint>(items: readonly T[]): T[] {
  const order = items.map((item, i) => ({ item, i }));
  // MACs ascending; at equal MACs the fittest first; then input order (stable ties).
  order.sort((a, b) => a.item.macs - b.item.macs || b.item.fitness - a.item.fitness || a.i - b.i);
  const front: T[] = [];
  let bestFitness = -Infinity;
  for (const { item } of order) {
    if (item.fitness > bestFitness) {
      front.push(item);
      bestFitness = item.fitness;
    }
  }
  return front;
}
