// The lab's fixed histogram bins of squared singular values (log10-spaced edges), in a file of its
// own with no imports, so the UI and the pure series / comparison code can use the same edges
// without pulling in the eigenvalue code.

export interface HistogramSpec {
  /** Lowest edge (> 0), highest edge, and bins per decade (log10-spaced edges). */
  lo: number;
  hi: number;
  binsPerDecade: number;
}

/** Squared singular values from 1e-4 to 1e2, 4 bins per decade: 24 bins, 25 edges. */
export const DEFAULT_HISTOGRAM: HistogramSpec = { lo: 1e-4, hi: 1e2, binsPerDecade: 4 };

export function histogramEdges(spec: HistogramSpec = DEFAULT_HISTOGRAM): number[] {
  const decades = Math.log10(spec.hi / spec.lo);
  const bins = Math.round(decades * spec.binsPerDecade);
  if (!(spec.lo > 0) || !(bins >= 1)) throw new Error(`histogram: bad spec ${JSON.stringify(spec)}`);
  const l0 = Math.log10(spec.lo);
  // Powers of ten computed from exact integer exponents so the edges are identical everywhere.
  return Array.from({ length: bins + 1 }, (_, i) => Number((10 ** (l0 + (i * decades) / bins)).toPrecision(12)));
}

