// Rank correlation of two paired samples (indicator fitness vs retrained accuracy), as scipy.stats
// computes them: Kendall's tau-b (kendalltau, variant 'b') and Spearman's rho (spearmanr: the
// Pearson correlation of average ranks, ties sharing the mean of their positions). Pure functions.
// Both are NaN when undefined (fewer than 2 pairs, or one side constant), as in scipy.

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new Error(`rank correlation: ${x.length} values against ${y.length}`);
  for (const v of [...x, ...y]) if (!Number.isFinite(v)) throw new Error(`rank correlation: values must be finite, got ${v}`);
}

/**
 * Kendall's tau-b = (C - D) / sqrt((n0 - n1) (n0 - n2)): C / D concordant / discordant pairs,
 * n0 = n(n-1)/2, n1 / n2 the pairs tied in x / in y (a pair tied in both counts in both and
 * is neither concordant nor discordant). O(n^2), fine for the K subnets of a run.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denom = Math.sqrt((n0 - tiedX) * (n0 - tiedY));
  return denom > 0 ? (concordant - discordant) / denom : NaN;
}

/** 1-based ranks, ties given the average of the positions they span (scipy rankdata 'average'). */
export function averageRanks(v: readonly number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const ranks = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side is constant or there are fewer than 2 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman's rho: Pearson correlation of the average ranks. */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}
