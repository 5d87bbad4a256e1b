// The class count of the setup against the loaded data: the data decides the smallest count (its
// labels are 0..n-1); a larger one may be chosen (extra output units), a smaller one is refused.
import type { DataSummary } from '../../worker/protocol/index.ts';

/** Why `numClasses` cannot train on `data`, in the panels' words, or null when it can. */
export function classCountProblem(numClasses: number, data: Pick<DataSummary, 'classIndices'> | null): string | null {
  if (data === null) return null;
  const n = data.classIndices.length;
  return numClasses < n ? `Classes must be at least ${n}: the loaded data has ${n} classes` : null;
}
